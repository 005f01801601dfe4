// The page scheduler: downloads take turns in arrival order, and a turn of the event loop reads
// pages only until its budget is spent (on an injected clock), so the loop keeps turning.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PageScheduler, type PageTask } from '../../src/export/page-scheduler.js';

/** A clock that advances by `cost` ms each time a task runs. */
function costedClock(cost: number) {
  let t = 0;
  return { now: () => t, spend: () => (t += cost) };
}

function task(log: string[], name: string, spend: () => void, cancelled = () => false): PageTask {
  return { run: () => (log.push(name), spend()), cancelled };
}

describe('PageScheduler', () => {
  it('serves the queue in arrival order, within the budget of each turn', async () => {
    const clock = costedClock(1);
    const scheduler = new PageScheduler(2, clock.now);
    const log: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) scheduler.enqueue(task(log, name, clock.spend));
    expect(log).toEqual([]); // nothing runs before the loop turns
    await nextTurn();
    expect(log).toEqual(['a', 'b']);
    await nextTurn();
    expect(log).toEqual(['a', 'b', 'c', 'd']);
    await nextTurn();
    expect(log).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(scheduler.waiting).toBe(0);
  });

  it('runs at least one page a turn, however long a page takes', async () => {
    const clock = costedClock(50);
    const scheduler = new PageScheduler(2, clock.now);
    const log: string[] = [];
    scheduler.enqueue(task(log, 'slow', clock.spend));
    scheduler.enqueue(task(log, 'next', clock.spend));
    await nextTurn();
    expect(log).toEqual(['slow']);
    await nextTurn();
    expect(log).toEqual(['slow', 'next']);
  });

  it('puts a stream that asks again behind the others', async () => {
    const clock = costedClock(0);
    const scheduler = new PageScheduler(2, clock.now);
    const log: string[] = [];
    let again = true;
    const a: PageTask = {
      run: () => {
        log.push('a');
        if (!again) return;
        again = false;
        scheduler.enqueue(a);
      },
      cancelled: () => false,
    };
    scheduler.enqueue(a);
    scheduler.enqueue(task(log, 'b', clock.spend));
    await nextTurn();
    expect(log).toEqual(['a', 'b', 'a']);
  });

  it('skips the pages of streams that ended while they waited', async () => {
    const clock = costedClock(0);
    const scheduler = new PageScheduler(2, clock.now);
    const log: string[] = [];
    let destroyed = false;
    scheduler.enqueue(task(log, 'gone', clock.spend, () => destroyed));
    scheduler.enqueue(task(log, 'kept', clock.spend));
    destroyed = true;
    await nextTurn();
    expect(log).toEqual(['kept']);
  });

  it('takes new pages after it has gone idle', async () => {
    const clock = costedClock(0);
    const scheduler = new PageScheduler(2, clock.now);
    const log: string[] = [];
    scheduler.enqueue(task(log, 'first', clock.spend));
    await nextTurn();
    await nextTurn();
    scheduler.enqueue(task(log, 'later', clock.spend));
    await nextTurn();
    expect(log).toEqual(['first', 'later']);
  });
});
