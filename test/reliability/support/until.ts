// Waits for a condition by giving the event loop turns (the job runner works in turns), and
// fails loudly rather than hanging when the condition never comes.
import { setImmediate as nextTurn } from 'node:timers/promises';

export async function until(condition: () => boolean, what: string, maxTurns = 50_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (condition()) return;
    await nextTurn();
  }
  throw new Error(`gave up waiting: ${what}`);
}
