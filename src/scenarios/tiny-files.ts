// `tiny-files`: the job's files hold at most TINY_FILE_RESOURCES resources each, so that even a
// small export makes many files.
import type { PlannedFile } from '../export/file-plan.js';
import { defineScenario } from './scenario.js';

export const TINY_FILE_RESOURCES = 2;

export const tinyFiles = defineScenario({
  name: 'tiny-files',
  description: `The files hold at most ${TINY_FILE_RESOURCES} resources each, so a small export makes hundreds of files.`,
  clientShould: 'Download many files without a cost per file that adds up (a new token, a new export, a long pause each); finish in time.',
  settings: [],
  hooks: {
    output({ files, source, where }) {
      const kept: PlannedFile[] = [];
      for (const f of files) {
        // The file's rids, read once: a planned file is at most FILE_MAX_RESOURCES rows.
        const rids = source.ridsAfter(f.type, f.ridFrom - 1, f.ridTo, f.count, where(f.type));
        for (let i = 0; i < rids.length; i += TINY_FILE_RESOURCES) {
          const part = rids.slice(i, i + TINY_FILE_RESOURCES);
          kept.push({ type: f.type, ridFrom: part[0]!, ridTo: part.at(-1)!, count: part.length });
        }
      }
      return { kept, explanations: [] };
    },
  },
});
