// X-Progress is free text (under 100 characters); a percentage or an "n of m" in it drives the
// progress bar, anything else leaves the bar indeterminate.
export function progressPercent(xProgress: string | null | undefined): number | null {
  if (!xProgress) return null;
  const percent = /(\d{1,3}(?:\.\d+)?)\s*%/.exec(xProgress);
  if (percent) return Math.min(100, Number(percent[1]));
  const fraction = /(\d+)\s+of\s+(\d+)/i.exec(xProgress);
  if (fraction && Number(fraction[2]) > 0) return Math.min(100, (Number(fraction[1]) / Number(fraction[2])) * 100);
  return null;
}

/** Retry-After as whole seconds (delta-seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(value: string | null | undefined, nowMs: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - nowMs) / 1000));
}
