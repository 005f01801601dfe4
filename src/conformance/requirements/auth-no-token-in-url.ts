// The client sends its token in the Authorization header, never in a URL.
import { defineRequirement, fail, few, notExercised, pass } from '../journal-reading.js';

const TOKEN_IN_QUERY = /(?:^|&)(?:access_token|token)=/i;

export const authNoTokenInUrl = defineRequirement({
  id: 'auth.no-token-in-url',
  sentence: 'The client sends its access token in the Authorization header, never in a URL (where logs and proxies keep it).',
  source: 'RFC 6750 §2.1 and §5.3 (do not pass bearer tokens in page URLs)',
  scenarios: 'all',
  check({ entries }) {
    const inUrl = entries.filter((e) => TOKEN_IN_QUERY.test(e.query));
    if (inUrl.length > 0) return fail(`${inUrl.length} request(s) carried a token in the query string.`, few(inUrl));
    const withToken = entries.filter((e) => e.token);
    if (withToken.length === 0) return notExercised('No request carried a token.');
    return pass(`All ${withToken.length} requests with a token sent it in the Authorization header.`);
  },
});
