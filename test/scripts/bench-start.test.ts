// The benchmark starts the server with package.json's `start` command, node options included,
// so it measures the server as users (and the Docker image, whose CMD is the same) run it.
import { describe, expect, it } from 'vitest';
import { startCommand } from '../../scripts/bench-server.js';

const pkg = (start: string) => JSON.stringify({ scripts: { start } });

describe("the benchmark's server command", () => {
  it("is package.json's start: its node options and entry point", () => {
    expect(startCommand()).toEqual({
      env: { MALLOC_ARENA_MAX: '2' },
      nodeArgs: ['--max-semi-space-size=1', '--heap-growing-percent=50'],
      entry: 'dist/src/server.js',
    });
    expect(startCommand(pkg('node dist/src/server.js'))).toEqual({ env: {}, nodeArgs: [], entry: 'dist/src/server.js' });
    expect(startCommand(pkg('A=1 B_2=x=y node --z dist/a.js'))).toEqual({ env: { A: '1', B_2: 'x=y' }, nodeArgs: ['--z'], entry: 'dist/a.js' });
  });

  it('refuses a start script that is not node with options and a file', () => {
    for (const start of ['npm run serve', 'node', 'node --x dist/src/server.ts', 'node -r x dist/src/server.js', 'tsx src/server.ts', 'a=1 node x.js']) {
      expect(() => startCommand(pkg(start)), start).toThrow(/not "\[NAME=value \.\.\.\] node \[--options\] <file>\.js"/);
    }
  });
});
