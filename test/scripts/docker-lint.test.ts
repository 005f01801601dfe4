// The Dockerfile lint: clean on the real file with each waived finding explained, and
// failing on the mistakes it exists to catch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintDockerfile } from '../../scripts/docker-lint.js';

const projectDir = join(import.meta.dirname, '..', '..');

describe('lintDockerfile', () => {
  it('passes the Dockerfile, explaining the three findings it waives', () => {
    const text = readFileSync(join(projectDir, 'Dockerfile'), 'utf8');
    const lineOf = (start: string) => text.split('\n').findIndex((l) => l.startsWith(start)) + 1;
    const result = lintDockerfile(text, projectDir);
    expect(result.problems).toEqual([]);
    expect(result.waived.map((w) => w.replace(/ \(waived: .*\)$/, ''))).toEqual([
      `line ${lineOf('FROM base AS build')}: dockerfilelint missing_tag: Base Image Missing Tag`,
      `line ${lineOf('FROM base AS runtime')}: dockerfilelint missing_tag: Base Image Missing Tag`,
      `line ${lineOf('HEALTHCHECK')}: dockerfilelint invalid_format: Invalid Argument Format`,
    ]);
  });

  it('fails on casing, relative paths, bad durations, quotes, untagged images and apt-get habits', () => {
    const bad = `FROM node AS base
run apt-get install python3
WORKDIR app
HEALTHCHECK --interval=5x CMD ["node"]
CMD ['node', 'x.js']
`;
    expect(lintDockerfile(bad, projectDir).problems).toEqual([
      'line 2: dockerfile-utils: Instructions should be written in uppercase letters',
      'line 3: dockerfile-utils: WORKDIR paths should be absolute',
      'line 4: dockerfile-utils: time: unknown unit x in duration 5x',
      'line 5: dockerfile-utils: Instruction written as a JSON array but is using single quotes instead of double quotes',
      'line 1: dockerfilelint missing_tag: Base Image Missing Tag',
      'line 2: dockerfilelint uppercase_commands: Capitalize Dockerfile Instructions',
      'line 2: dockerfilelint apt-get_missing_param: Missing parameter for `apt-get`',
      'line 2: dockerfilelint apt-get_recommends: Consider `--no-install-recommends`',
      'waiver for dockerfilelint missing_tag at /^FROM base AS / matched nothing: remove it',
      String.raw`waiver for dockerfilelint invalid_format at /^HEALTHCHECK --interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+ \\$/ matched nothing: remove it`,
    ]);
  });
});
