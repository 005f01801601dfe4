// The request journal (docs/behaviour.md, "Request journal"): every request the server answers,
// kept in a bounded ring for the admin API and the client requirements. Registered before
// every other hook, so that requests refused early (no Host, shutting down) are recorded too.
// With JOURNAL_MAX_ENTRIES=0 it adds no hook at all.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { watchRequest } from '../journal/recorder.js';
import { noteScenario, scenarioOfError } from '../journal/request-notes.js';
import { RequestJournal } from '../journal/ring.js';

declare module 'fastify' {
  interface FastifyInstance {
    journal: RequestJournal;
  }
}

async function journalPlugin(app: FastifyInstance) {
  const journal = new RequestJournal(app.config.journalMaxEntries);
  app.decorate('journal', journal);
  if (!journal.enabled) return;
  const { clock } = app;
  app.addHook('onRequest', (request, reply, done) => {
    watchRequest(journal, clock, request, reply);
    done();
  });
  // A scenario's hook that refused the request (or answered instead) marked its error.
  app.addHook('onError', (request, _reply, error, done) => {
    const scenario = scenarioOfError(error);
    if (scenario !== null) noteScenario(request, scenario);
    done();
  });
}

export default fp(journalPlugin, { name: 'journal', decorators: { fastify: ['config', 'clock'] } });
