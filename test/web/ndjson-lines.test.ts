import { describe, expect, it } from 'vitest';
import { readFirstLines } from '../../web/src/ndjson-lines.js';

/** A body delivered in the given chunks, recording whether the reader cancelled it. */
function body(chunks: string[]) {
  const state = { cancelled: false, pulled: 0 };
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[state.pulled++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(encoder.encode(chunk));
    },
    cancel() {
      state.cancelled = true;
    },
  }, { highWaterMark: 0 }); // pull only when read, so `pulled` counts what the reader asked for
  return { stream, state };
}

describe('readFirstLines', () => {
  it('returns the first lines across chunk boundaries and stops reading', async () => {
    const { stream, state } = body(['{"a":1}\n{"a"', ':2}\n{"a":3}\n', '{"a":4}\n', '{"a":5}\n']);
    expect(await readFirstLines(stream, 2)).toEqual({ lines: ['{"a":1}', '{"a":2}'], more: true });
    expect(state.pulled).toBe(2);
    expect(state.cancelled).toBe(true);
  });

  it('says when the file has no more lines, with or without a final newline', async () => {
    expect(await readFirstLines(body(['{"a":1}\n{"a":2}\n']).stream, 3)).toEqual({ lines: ['{"a":1}', '{"a":2}'], more: false });
    expect(await readFirstLines(body(['{"a":1}\n{"a":2}']).stream, 2)).toEqual({ lines: ['{"a":1}', '{"a":2}'], more: false });
    expect(await readFirstLines(body(['{"a":1}\n', '{"a":2}\n']).stream, 1)).toEqual({ lines: ['{"a":1}'], more: true });
    expect(await readFirstLines(body([]).stream, 3)).toEqual({ lines: [], more: false });
  });

  it('decodes multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('{"name":"Zoë"}\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 12));
        controller.enqueue(bytes.slice(12));
        controller.close();
      },
    });
    expect(await readFirstLines(stream, 1)).toEqual({ lines: ['{"name":"Zoë"}'], more: false });
  });
});
