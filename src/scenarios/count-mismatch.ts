// `count-mismatch`: the job's first output file holds one line fewer than its manifest `count`
// (its last line is never sent), on every download of it.
import { pipeline, Transform, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { defineScenario } from './scenario.js';

/** The NDJSON body without its last line (every line of a file ends with `\n`). */
export function withoutLastLine(body: Readable): Readable {
  const decoder = new StringDecoder('utf8');
  // The last whole line seen so far, and what came after it: held back until the next line comes.
  let held = '';
  const drop = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const text = held + decoder.write(chunk);
      const lastEnd = text.lastIndexOf('\n', text.length - 1);
      const cut = lastEnd <= 0 ? -1 : text.lastIndexOf('\n', lastEnd - 1);
      held = text.slice(cut + 1);
      callback(null, text.slice(0, cut + 1));
    },
    flush(callback) {
      // `held` is the last line: dropped.
      callback(null, '');
    },
  });
  return pipeline(body, drop, () => undefined);
}

export const countMismatch = defineScenario({
  name: 'count-mismatch',
  description: "The first output file holds one line fewer than its manifest count: its last resource is never sent.",
  clientShould: 'Count the lines of each file against its count; on a mismatch, download it again, then report the missing data and exit with an error.',
  settings: [],
  hooks: {
    download({ request, file }) {
      if (request.method === 'HEAD' || file.kind !== 'output' || file.seq !== 0 || file.count === 0) return undefined;
      return withoutLastLine;
    },
  },
});
