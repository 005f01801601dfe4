// `download-slow`: every download of the job's files is sent at SCENARIO_DOWNLOAD_BYTES_PER_SECOND,
// uncompressed, to its end (how the rate is kept: transport.ts).
import { defineScenario } from './scenario.js';
import { pacedBody, sendUncompressed } from './transport.js';

export const downloadSlow = defineScenario({
  name: 'download-slow',
  description: 'Every download of the files is sent at SCENARIO_DOWNLOAD_BYTES_PER_SECOND (64 KiB/s by default), uncompressed, to its end.',
  clientShould: 'Keep reading a slow but live download to its end: a read timeout is for silence, not for slowness.',
  settings: ['SCENARIO_DOWNLOAD_BYTES_PER_SECOND'],
  hooks: {
    download(ctx) {
      if (ctx.request.method === 'HEAD') return undefined;
      sendUncompressed(ctx.request);
      return (body) => pacedBody(body, ctx.settings.downloadBytesPerSecond);
    },
  },
});
