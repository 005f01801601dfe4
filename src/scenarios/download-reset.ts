// `download-reset`: the first download of each file sends half its lines and half of the next,
// then the connection ends with a TCP reset (the client reads ECONNRESET).
import { defineScenario, firstDownload } from './scenario.js';
import { cutBody, linesBeforeCut, sendUncompressed } from './transport.js';

export const downloadReset = defineScenario({
  name: 'download-reset',
  description: 'The first download of each file is ended part-way with a TCP reset (ECONNRESET), at the same byte every time.',
  clientShould: 'Treat the reset as a failed transfer and download the file again.',
  settings: [],
  hooks: {
    download(ctx) {
      if (ctx.request.method === 'HEAD' || !firstDownload(ctx, 'resetDownloads')) return undefined;
      const { request, reply, file } = ctx;
      sendUncompressed(request);
      return (body) => {
        request.log.info('download reset on purpose (download-reset scenario)');
        return cutBody(body, linesBeforeCut(file.count), reply.raw, { kind: 'reset' });
      };
    },
  },
});
