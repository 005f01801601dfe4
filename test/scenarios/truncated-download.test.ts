// The body of a download-truncated download, on its own: where it cuts, and that it lets go
// of its source whatever the client does.
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { truncatedBody } from '../../src/scenarios/truncated-download.js';

/** A response that has sent its head and has nothing waiting: the cut may come at once. */
const flushed = { headersSent: true, writableLength: 0 } as ServerResponse;

/** Everything the body gives before it ends, and how it ended. */
async function drain(body: Readable): Promise<{ text: string; error?: string }> {
  let text = '';
  try {
    for await (const chunk of body) text += String(chunk);
    return { text };
  } catch (err) {
    return { text, error: (err as NodeJS.ErrnoException).code };
  }
}

describe('truncatedBody', () => {
  it('keeps the lines asked for and half of the next, then fails as a premature close', async () => {
    const source = Readable.from(['a1\nb2\n', 'c3cc\nd4\n']);
    const { text, error } = await drain(truncatedBody(source, 2, null, flushed));
    expect(text).toBe('a1\nb2\nc3');
    expect(error).toBe('ERR_STREAM_PREMATURE_CLOSE');
    expect(source.destroyed).toBe(true);
  });

  it('halves the next line when the kept lines end exactly at the end of a page', async () => {
    const source = Readable.from(['a1\nb2\n', 'cccccccc\n', 'd4\n']);
    const { text } = await drain(truncatedBody(source, 2, null, flushed));
    expect(text).toBe('a1\nb2\ncccc');
  });

  it('with nothing to keep, sends half of the first line', async () => {
    const { text } = await drain(truncatedBody(Readable.from(['abcdefgh\n']), 0, null, flushed));
    expect(text).toBe('abcd');
  });

  it('lets go of its source when the client leaves while the body is held up', async () => {
    // Far more than a stream buffers: the body waits for a reader that never comes.
    const page = `${'x'.repeat(1000)}\n`.repeat(100);
    let pulled = 0;
    const source = new Readable({
      read() {
        pulled++;
        this.push(page);
      },
    });
    const body = truncatedBody(source, 1_000_000, null, flushed);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pulled).toBeGreaterThan(0);
    body.destroy();
    for (let i = 0; i < 100 && !source.destroyed; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(source.destroyed).toBe(true);
  });
});
