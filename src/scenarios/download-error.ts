// `download-error`: the first download of each file answers 503 with Retry-After.
import { serviceUnavailable } from '../errors.js';
import { defineScenario, firstDownload, TRANSIENT_RETRY_AFTER_SECONDS } from './scenario.js';

export const downloadError = defineScenario({
  name: 'download-error',
  description: 'The first download of each file answers 503 (transient) with Retry-After; the retry succeeds.',
  clientShould: 'Retry a failed download after Retry-After; do not restart the export.',
  settings: [],
  hooks: {
    download(ctx) {
      if (!firstDownload(ctx, 'failedDownloads')) return undefined;
      throw serviceUnavailable(
        `File ${ctx.file.id} is briefly unavailable (simulated by the "download-error" scenario); retry after Retry-After.`,
        TRANSIENT_RETRY_AFTER_SECONDS,
      );
    },
  },
});
