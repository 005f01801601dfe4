// The `partial` scenario: an export that completes with part of its data. With several types
// the last one with data is left out; with one type, every file after the first (or, with a
// single file, the second half of it). What is left out is explained in the error file.
import type { PlannedFile, RidSource } from '../export/file-plan.js';
import type { SqlCondition } from '../export/type-filter.js';
import { defineScenario } from './scenario.js';

export const partial = defineScenario({
  name: 'partial',
  description:
    'The export completes with part of the data: the last requested type (or, with one type, every file after its first) is left out and explained in error files.',
  clientShould: "Load the output, then read the manifest's error files and report or retry what is missing.",
  settings: [],
  hooks: {
    output: ({ files, source, where }) => leaveOutPart(files, source, where),
  },
});

export function leaveOutPart(
  files: PlannedFile[],
  source: RidSource,
  where: (type: string) => SqlCondition | undefined = () => undefined,
): { kept: PlannedFile[]; explanations: string[] } {
  const types = [...new Set(files.map((f) => f.type))];
  const because = 'The export of these resources failed (simulated by the "partial" scenario); start a new export to get them.';
  if (types.length >= 2) {
    const last = types.at(-1)!;
    const left = files.filter((f) => f.type === last);
    const count = left.reduce((n, f) => n + f.count, 0);
    return {
      kept: files.filter((f) => f.type !== last),
      explanations: [`${count} ${last} resources were not exported. ${because}`],
    };
  }
  if (files.length >= 2) {
    const count = files.slice(1).reduce((n, f) => n + f.count, 0);
    return { kept: files.slice(0, 1), explanations: [`${count} ${types[0]} resources were not exported. ${because}`] };
  }
  const only = files[0];
  if (!only || only.count < 2) return { kept: files, explanations: [`No resources were left out: there were too few. ${because}`] };
  const half = Math.ceil(only.count / 2);
  const rids = source.ridsAfter(only.type, only.ridFrom - 1, only.ridTo, half, where(only.type));
  const kept = { ...only, ridTo: rids[rids.length - 1]!, count: rids.length };
  return { kept: [kept], explanations: [`${only.count - kept.count} ${only.type} resources were not exported. ${because}`] };
}
