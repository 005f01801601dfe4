// Lints the Dockerfile with two linters from the npm registry: dockerfile-utils (the checks
// of the Docker language server: syntax, flags, durations, signals) with every check on, and
// dockerfilelint (practices: apt-get flags, tags, sudo). Any finding fails, except the
// dockerfilelint findings listed below, each a known misreading of a valid Dockerfile.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import dockerfilelint from 'dockerfilelint';
import { validate, ValidationSeverity } from 'dockerfile-utils';

interface Waiver {
  rule: string;
  /** The start of the Dockerfile line the finding is on. */
  line: RegExp;
  why: string;
}

const WAIVERS: Waiver[] = [
  {
    rule: 'missing_tag',
    line: /^FROM base AS /,
    why: '"base" is the first stage of this Dockerfile, not an image; dockerfilelint predates multi-stage builds',
  },
  {
    rule: 'invalid_format',
    line: /^HEALTHCHECK --interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+ \\$/,
    why: 'dockerfilelint reads --start-period as an unknown option "--start" (its pattern stops at the hyphen)',
  },
];

export interface LintResult {
  problems: string[];
  waived: string[];
}

export function lintDockerfile(text: string, configDir: string): LintResult {
  const lines = text.split('\n');
  const problems: string[] = [];
  const waived: string[] = [];

  const strict = ValidationSeverity.WARNING;
  const diagnostics = validate(text, {
    deprecatedMaintainer: strict,
    directiveCasing: strict,
    emptyContinuationLine: strict,
    instructionCasing: strict,
    instructionCmdMultiple: strict,
    instructionEntrypointMultiple: strict,
    instructionHealthcheckMultiple: strict,
    instructionJSONInSingleQuotes: strict,
    instructionWorkdirRelative: strict,
  });
  for (const d of diagnostics) problems.push(`line ${d.range.start.line + 1}: dockerfile-utils: ${d.message}`);

  const used = new Set<Waiver>();
  for (const item of dockerfilelint.run(configDir, text)) {
    const source = lines[item.line - 1] ?? '';
    const waiver = WAIVERS.find((w) => w.rule === item.rule && w.line.test(source));
    const text = `line ${item.line}: dockerfilelint ${item.rule}: ${item.title}`;
    if (waiver) {
      used.add(waiver);
      waived.push(`${text} (waived: ${waiver.why})`);
    } else {
      problems.push(text);
    }
  }
  for (const w of WAIVERS) {
    if (!used.has(w)) problems.push(`waiver for dockerfilelint ${w.rule} at ${w.line} matched nothing: remove it`);
  }
  return { problems, waived };
}

function main() {
  const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const file = join(projectDir, 'Dockerfile');
  // dockerfilelint reads its rules from <dir>/.dockerfilelintrc; there is none, so all are on.
  const { problems, waived } = lintDockerfile(readFileSync(file, 'utf8'), projectDir);
  for (const w of waived) console.log(`  ok    ${w}`);
  for (const p of problems) console.log(`  FAIL  ${p}`);
  if (problems.length > 0) {
    process.exitCode = 1;
    return;
  }
  console.log(`Dockerfile lints clean (dockerfile-utils, dockerfilelint; ${waived.length} explained findings)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
