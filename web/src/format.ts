// Numbers, durations and status badges shown the same way everywhere on the page.
import { h } from './element.js';
import { statusLine } from './api-client.js';

const numbers = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => numbers.format(n);

export const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/** Files a type of `count` resources comes in, at most `perFile` per file. */
export const fileCount = (count: number, perFile: number): number => Math.ceil(count / perFile);

export function statusBadge(status: number): HTMLElement {
  const tone = status >= 400 ? 'bad' : status === 202 ? 'wait' : 'good';
  return h('span', { class: `badge badge-${tone}` }, statusLine(status));
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
