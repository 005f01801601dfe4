// `token-expires`: the token that started the job answers 401 for this job's poll, cancel and
// downloads, as an expired token would; it still works everywhere else, so a faulted job
// leaves the jobs beside it alone.
import { unauthorized } from '../errors.js';
import { defineScenario } from './scenario.js';

interface TokenExpiresState {
  /** The hash of the token that started the job, which no longer works for it. */
  expiredToken: string;
}

export const tokenExpires = defineScenario({
  name: 'token-expires',
  description: 'The token that started the export stops working for this job right after the kick-off (needs AUTH=on); other jobs still accept it.',
  clientShould: 'On 401, get a new token and repeat the request; the job is still there.',
  settings: ['AUTH'],
  hooks: {
    unavailable: ({ authEnabled }) =>
      authEnabled ? undefined : 'The "token-expires" scenario needs AUTH=on: with AUTH=off there is no token to expire.',
    jobCreated({ tokenHash, state }) {
      if (tokenHash) state.update<TokenExpiresState, void>((s) => void (s.expiredToken = tokenHash));
    },
    access({ tokenHash, state }) {
      const { expiredToken } = state.read<TokenExpiresState>();
      if (expiredToken !== undefined && expiredToken === tokenHash) {
        throw unauthorized('The access token has expired; get a new one from POST /oauth/token.');
      }
    },
  },
});
