// What a poll of an unfinished job says in X-Progress and Retry-After.
import { describe, expect, it } from 'vitest';
import { pollProgress } from '../../src/export/progress.js';

const view = (fields: { queued?: boolean; readyAt?: number | null } = {}) => ({
  state: 'in-progress' as const,
  queued: fields.queued ?? false,
  createdAt: 10_000,
  readyAt: fields.readyAt ?? null,
});

describe('pollProgress', () => {
  it('queued: "queued", poll again in a second', () => {
    expect(pollProgress(view({ queued: true }), 10_000, { done: 1, total: 2 })).toEqual({ text: 'queued', retryAfter: 1 });
  });

  it('running: the types planned so far, when the runner knows them', () => {
    expect(pollProgress(view(), 12_000, { done: 1, total: 3 })).toEqual({ text: 'in progress: 1 of 3 types exported', retryAfter: 1 });
    expect(pollProgress(view(), 12_000)).toEqual({ text: 'in progress', retryAfter: 1 });
  });

  it('planned: the elapsed share of its duration, Retry-After stepping through it in about five polls', () => {
    const slow = view({ readyAt: 20_000 }); // ten seconds
    expect([10_000, 12_000, 14_000, 16_000, 18_000].map((now) => pollProgress(slow, now))).toEqual([
      { text: 'in progress: 0% complete', retryAfter: 2 },
      { text: 'in progress: 20% complete', retryAfter: 2 },
      { text: 'in progress: 40% complete', retryAfter: 2 },
      { text: 'in progress: 60% complete', retryAfter: 2 },
      { text: 'in progress: 80% complete', retryAfter: 2 },
    ]);
  });

  it('never says 100% nor less than 0%, and Retry-After is at least a second and no more than what is left', () => {
    const job = view({ readyAt: 40_000 }); // thirty seconds: steps of six
    expect(pollProgress(job, 39_999)).toEqual({ text: 'in progress: 99% complete', retryAfter: 1 });
    expect(pollProgress(job, 5_000)).toEqual({ text: 'in progress: 0% complete', retryAfter: 6 });
    expect(pollProgress(job, 37_000)).toEqual({ text: 'in progress: 90% complete', retryAfter: 3 });
  });

  it('a job ready at once (no minimum duration) still says something sane', () => {
    expect(pollProgress(view({ readyAt: 10_000 }), 10_000)).toEqual({ text: 'in progress: 0% complete', retryAfter: 1 });
  });

  it('keeps X-Progress under 100 characters', () => {
    const text = pollProgress(view(), 0, { done: 1_000_000, total: 1_000_000 }).text;
    expect(text.length).toBeLessThan(100);
  });
});
