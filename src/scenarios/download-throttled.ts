// `download-throttled`: the first download of each file answers 429 with Retry-After.
import { tooManyRequests } from '../errors.js';
import { defineScenario, firstDownload } from './scenario.js';

/** Retry-After of a throttled download, in seconds. */
export const THROTTLED_DOWNLOAD_RETRY_AFTER_SECONDS = 1;

export const downloadThrottled = defineScenario({
  name: 'download-throttled',
  description: `The first download of each file answers 429 (throttled) with Retry-After: ${THROTTLED_DOWNLOAD_RETRY_AFTER_SECONDS}; the retry succeeds.`,
  clientShould: 'Wait Retry-After, then download the same file again; do not restart the export.',
  settings: [],
  hooks: {
    download(ctx) {
      if (!firstDownload(ctx, 'throttledDownloads')) return undefined;
      throw tooManyRequests(
        `Too many downloads of file ${ctx.file.id} (simulated by the "download-throttled" scenario); download it again after Retry-After.`,
        THROTTLED_DOWNLOAD_RETRY_AFTER_SECONDS,
      );
    },
  },
});
