import { describe, expect, it } from 'vitest';
import { progressPercent, retryAfterSeconds } from '../../web/src/progress.js';

describe('progressPercent', () => {
  it('reads a percentage or an "n of m" from X-Progress', () => {
    expect(progressPercent('in progress: 40% complete')).toBe(40);
    expect(progressPercent('in progress: 3 of 4 types exported')).toBe(75);
    expect(progressPercent('250%')).toBe(100);
  });

  it('gives null when there is nothing to read', () => {
    expect(progressPercent('queued')).toBeNull();
    expect(progressPercent(null)).toBeNull();
    expect(progressPercent('0 of 0 types')).toBeNull();
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.UTC(2026, 2, 1, 12, 0, 0);
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterSeconds('7', now)).toBe(7);
    expect(retryAfterSeconds('Sun, 01 Mar 2026 12:00:05 GMT', now)).toBe(5);
    expect(retryAfterSeconds('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('gives null when absent or unreadable', () => {
    expect(retryAfterSeconds(null, now)).toBeNull();
    expect(retryAfterSeconds('soon', now)).toBeNull();
  });
});
