// `download-stall`: the first download of each file sends half its lines and half of the next,
// then nothing for SCENARIO_STALL_MS, and the server closes the connection. A later download of
// a file whose stall the client waited out is noted for the journal as this scenario's, so a
// client that had no read timeout shows as such.
import { defineScenario, firstDownload } from './scenario.js';
import { cutBody, linesBeforeCut, sendUncompressed } from './transport.js';

interface DownloadStallState {
  /** Files whose stall ran its whole course with the client still waiting. */
  stallsOutlasted: string[];
}

export const downloadStall = defineScenario({
  name: 'download-stall',
  description:
    'The first download of each file stops sending part-way and keeps the connection open without data for SCENARIO_STALL_MS (30 s by default), then closes it.',
  clientShould: 'Give up on a download that sends nothing for a while (a read timeout well under the stall) and download the file again.',
  settings: ['SCENARIO_STALL_MS'],
  hooks: {
    download(ctx) {
      if (ctx.request.method === 'HEAD') return undefined;
      const { state, file, request, reply, settings } = ctx;
      if (!firstDownload(ctx, 'stalledDownloads')) {
        const outlasted = state.read<DownloadStallState>().stallsOutlasted ?? [];
        // The body is unchanged; returning a filter marks the answer as this scenario's.
        return outlasted.includes(file.id) ? (body) => body : undefined;
      }
      sendUncompressed(request);
      return (body) => {
        request.log.info('download stalled on purpose (download-stall scenario)');
        return cutBody(body, linesBeforeCut(file.count), reply.raw, {
          kind: 'stall',
          ms: settings.stallMs,
          outlasted: () => state.update<DownloadStallState, void>((s) => void (s.stallsOutlasted ??= []).push(file.id)),
        });
      };
    },
  },
});
