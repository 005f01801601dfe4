// The client sends no token to a signed URL.
import { defineRequirement, fail, few, isSignedDownload, notExercised, pass } from '../journal-reading.js';

export const downloadNoTokenToSigned = defineRequirement({
  id: 'download.no-token-to-signed',
  sentence: 'The client sends no Authorization to a signed URL (a manifest url with requiresAccessToken: false, or where a redirect leads).',
  source: 'Bulk Data IG 3.0.0, "Bulk Data Output File Request" (requiresAccessToken: false: the url is a capability; do not send the token)',
  scenarios: ['signed-urls', 'download-redirect'],
  check({ entries }) {
    const signed = entries.filter(isSignedDownload);
    if (signed.length === 0) return notExercised('The client downloaded nothing through a signed URL.');
    const leaked = signed.filter((e) => e.token);
    if (leaked.length > 0) return fail(`${leaked.length} of ${signed.length} downloads through a signed URL carried the bearer token.`, few(leaked));
    return pass(`None of ${signed.length} downloads through a signed URL carried a token.`);
  },
});
