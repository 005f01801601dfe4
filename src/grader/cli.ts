// `npm run grade -- --client '<shell command>' [options]`: grades a bulk export client against
// the mock (docs/grading.md; `--help` lists the options).
import { gradeMain } from './command.js';

process.exitCode = await gradeMain(process.argv.slice(2));
