// `poll-transient`: the first poll answers 503 with Retry-After; the later ones go on normally.
import { serviceUnavailable } from '../errors.js';
import { defineScenario, TRANSIENT_RETRY_AFTER_SECONDS } from './scenario.js';

interface PollTransientState {
  /** The one 503 has been served. */
  transientPollServed: boolean;
}

export const pollTransient = defineScenario({
  name: 'poll-transient',
  description: 'The first poll answers 503 (transient) with Retry-After; later polls go on normally.',
  clientShould: 'Treat 503 as temporary: wait Retry-After and poll again.',
  settings: [],
  hooks: {
    poll({ state }) {
      if (state.read<PollTransientState>().transientPollServed) return;
      state.update<PollTransientState, void>((s) => void (s.transientPollServed = true));
      throw serviceUnavailable(
        'The export status is briefly unavailable (simulated by the "poll-transient" scenario); poll again after Retry-After.',
        TRANSIENT_RETRY_AFTER_SECONDS,
      );
    },
  },
});
