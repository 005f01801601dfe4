// GET /health: 503 while the first start is still creating the data set, 200 when ready
// (docs/behaviour.md, "Settings"), with what a CI script wants to log.
import type { FastifyInstance } from 'fastify';
import { version } from '../version.js';
import { routeMethods } from './route-methods.js';

export default async function healthRoutes(app: FastifyInstance) {
  routeMethods(app, '/health', {
    GET: {
      handler: async (_request, reply) => {
        const ready = app.store.ready;
        return reply.code(ready ? 200 : 503).send({
          status: ready ? 'ok' : 'starting',
          version,
          profile: app.config.profile,
          dataset: app.config.dataset,
        });
      },
    },
  });
}
