// After a 401 mid-export, the client gets a new token and continues the same job.
import { after, defineRequirement, fail, isKickoff, isTokenRequest, notExercised, pass } from '../journal-reading.js';

export const authRenewsToken = defineRequirement({
  id: 'auth.renews-token',
  sentence: 'After a 401 on a poll or download, the client gets a new token and continues the same job (no new kick-off).',
  source: 'RFC 6749 §1.5 and §5 (access token lifetime); RFC 6750 §3.1 (invalid_token, 401)',
  scenarios: ['token-expires'],
  check({ entries }) {
    const refused = entries.find((e) => e.status === 401 && e.jobId !== null && !isKickoff(e));
    if (!refused) return notExercised('No request about a job was answered 401.');
    const rest = after(entries, refused);
    const renewal = rest.find((e) => isTokenRequest(e) && e.status === 200);
    if (!renewal) return fail('The client did not ask for a new token after the 401.', [refused]);
    const resumed = after(rest, renewal).find((e) => e.jobId === refused.jobId && !isKickoff(e) && e.status !== 401);
    const restart = rest.find((e) => isKickoff(e) && (resumed === undefined || rest.indexOf(e) < rest.indexOf(resumed)));
    if (restart) return fail('The client started a new export after the 401 instead of continuing the same job.', [refused, renewal, restart]);
    if (!resumed) return fail(`The client got a new token but never went back to job ${refused.jobId} with it.`, [refused, renewal]);
    return pass(`The client got a new token and continued job ${refused.jobId}.`, [refused, renewal, resumed]);
  },
});
