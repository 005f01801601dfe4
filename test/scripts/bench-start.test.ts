// The benchmark starts the server with package.json's `start` command, node options included,
// so it measures the server as users (and the Docker image, whose CMD is the same) run it.
import { describe, expect, it } from 'vitest';
import { startCommand } from '../../scripts/bench-server.js';

const pkg = (start: string) => JSON.stringify({ scripts: { start } });

describe("the benchmark's server command", () => {
  it("is package.json's start: its node options and entry point", () => {
    expect(startCommand()).toEqual({ nodeArgs: ['--max-semi-space-size=2'], entry: 'dist/src/server.js' });
    expect(startCommand(pkg('node dist/src/server.js'))).toEqual({ nodeArgs: [], entry: 'dist/src/server.js' });
  });

  it('refuses a start script that is not node with options and a file', () => {
    for (const start of ['npm run serve', 'node', 'node --x dist/src/server.ts', 'node -r x dist/src/server.js', 'tsx src/server.ts']) {
      expect(() => startCommand(pkg(start)), start).toThrow(/not "node \[--options\] <file>\.js"/);
    }
  });
});
