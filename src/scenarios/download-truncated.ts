// `download-truncated`: the first download of each file stops part-way, the connection closed
// before the body's end (how the body is cut: truncated-download.ts).
import { defineScenario, firstDownload } from './scenario.js';
import { negotiatedEncoding } from '../http/compression.js';
import { truncatedBody } from './truncated-download.js';

export const downloadTruncated = defineScenario({
  name: 'download-truncated',
  description: "The first download of each file stops part-way: the connection closes before the body's end.",
  clientShould: 'Detect the incomplete body (transfer error, last line without \\n, fewer lines than count) and download again.',
  settings: [],
  hooks: {
    download(ctx) {
      // A HEAD gets the whole file's headers (and its body is never sent).
      if (ctx.request.method === 'HEAD' || !firstDownload(ctx, 'truncatedDownloads')) return undefined;
      const { request, reply, file } = ctx;
      return (body) => {
        request.log.info('download cut short on purpose (download-truncated scenario)');
        const encoding = negotiatedEncoding(request.headers);
        if (encoding) {
          const vary = reply.getHeader('vary');
          reply.header('content-encoding', encoding).header('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
        }
        return truncatedBody(body, Math.floor(file.count / 2), encoding, reply.raw);
      };
    },
  },
});
