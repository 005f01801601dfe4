// `poll-too-fast` (and POLL_RATE_LIMIT=on, for every job): a poll sooner than the last
// Retry-After answers 429 with the seconds left.
import { tooManyRequests } from '../errors.js';
import { defineScenario } from './scenario.js';

interface PollTooFastState {
  /** The earliest time the next poll is welcome. */
  nextPollAt: number;
}

export const pollTooFast = defineScenario({
  name: 'poll-too-fast',
  description: 'A poll sooner than the last Retry-After answers 429 with the seconds left in Retry-After.',
  clientShould: 'Never poll before Retry-After has passed.',
  settings: ['POLL_RATE_LIMIT'],
  hooks: {
    everyJob: (settings) => settings.pollRateLimit,
    poll({ state, now }) {
      const { nextPollAt } = state.read<PollTooFastState>();
      if (nextPollAt === undefined || now >= nextPollAt) return;
      const wait = Math.ceil((nextPollAt - now) / 1000);
      throw tooManyRequests(`Polled too soon: the last answer asked for Retry-After; wait ${wait} s more.`, wait);
    },
    pollAnswered({ state, now }, retryAfterSeconds) {
      state.update<PollTooFastState, void>((s) => void (s.nextPollAt = now + retryAfterSeconds * 1000));
    },
  },
});
