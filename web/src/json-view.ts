// Pretty-printed JSON with its parts marked for colour. Built from text nodes and spans,
// never innerHTML, so nothing in a resource can become markup.
import { h } from './element.js';

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

export function jsonView(value: unknown, label?: string): HTMLPreElement {
  const text = JSON.stringify(value, null, 2) ?? String(value);
  const code = h('code');
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const at = match.index;
    if (at > last) code.append(text.slice(last, at));
    const [whole, string, colon, literal, number] = match;
    if (string !== undefined) {
      code.append(h('span', { class: colon ? 'json-key' : 'json-string' }, string));
      if (colon) code.append(colon);
    } else if (literal !== undefined) {
      code.append(h('span', { class: 'json-literal' }, literal));
    } else if (number !== undefined) {
      code.append(h('span', { class: 'json-number' }, number));
    }
    last = at + whole.length;
  }
  if (last < text.length) code.append(text.slice(last));
  // A scrollable region must be reachable by keyboard (WCAG 2.1.1).
  return h('pre', { class: 'json', tabindex: 0, 'aria-label': label }, code);
}
