// Reads only the first lines of an NDJSON download and then stops the transfer, so previewing
// a file of 250 resources does not wait for (or hold) the whole body.
export interface FirstLines {
  lines: string[];
  /** True when the body has more after the lines returned. */
  more: boolean;
}

export async function readFirstLines(body: ReadableStream<Uint8Array>, limit: number): Promise<FirstLines> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const lines: string[] = [];
  let pending = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      pending += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = pending.indexOf('\n')) !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim() === '') continue;
        if (lines.length === limit) return { lines, more: true };
        lines.push(line);
      }
      if (done) {
        if (pending.trim() !== '') {
          if (lines.length === limit) return { lines, more: true };
          lines.push(pending);
        }
        return { lines, more: false };
      }
      // A full set of lines and more bytes already seen: no need to read on.
      if (lines.length === limit && pending.trim() !== '') return { lines, more: true };
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
