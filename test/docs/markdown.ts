// Reads the project's Markdown documents as the tests about them need: sections by heading,
// table rows, links and the anchors GitHub gives headings.
import { readFileSync } from 'node:fs';

export const root = new URL('../../', import.meta.url);

export const readDoc = (path: string): string => readFileSync(new URL(path, root), 'utf8');

/** The lines of a document outside fenced code blocks (a `# comment` in a shell block is no heading). */
export function proseLines(doc: string): string[] {
  let fenced = false;
  return doc.split('\n').filter((line) => {
    if (line.startsWith('```')) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** The headings of a document, as written (without the leading #s). */
export function headings(doc: string): string[] {
  return proseLines(doc)
    .map((line) => /^#{1,6} (.+)$/.exec(line)?.[1])
    .filter((h): h is string => h !== undefined);
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor of a document; a repeated heading gets -1, -2, ... as on GitHub. */
export function anchors(doc: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const heading of headings(doc)) {
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The text of the section under `## heading` (any level), up to the next heading of that level or higher. */
export function section(doc: string, heading: string): string {
  const lines = doc.split('\n');
  let fenced = false;
  let start = -1;
  let level = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    const m = /^(#{1,6}) (.+)$/.exec(line);
    if (!m) continue;
    if (start === -1 && m[2] === heading) {
      start = i;
      level = m[1]!.length;
    } else if (start !== -1 && m[1]!.length <= level) {
      return lines.slice(start, i).join('\n');
    }
  }
  if (start === -1) throw new Error(`no section "${heading}"`);
  return lines.slice(start).join('\n');
}

/** The body rows of the Markdown tables in `text` (not their header rows), each as its trimmed cells. */
export function tableRows(text: string): string[][] {
  const separator = /^\|(?:\s*:?-+:?\s*\|)+$/;
  const lines = text.split('\n');
  return lines
    .filter((line, i) => line.startsWith('|') && !separator.test(line) && !separator.test(lines[i + 1] ?? ''))
    .map((line) =>
      line
        .slice(1, -1)
        // A `|` inside a code span (`system|code`) separates no columns.
        .split(/\|(?=(?:[^`]*`[^`]*`)*[^`]*$)/)
        .map((cell) => cell.trim()),
    );
}

/** The code spans of a table cell: "`HOST` / `PORT`" gives ["HOST", "PORT"]. */
export const codeSpans = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
