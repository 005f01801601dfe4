// When files are gone, the client starts a new export or exits non-zero.
import type { ScenarioName } from '../../scenarios/catalog.js';
import { after, defineRequirement, fail, isKickoff, notExercised, pass } from '../journal-reading.js';

const EXPIRED: ScenarioName = 'files-expired';

export const expiredDoesNotPass = defineRequirement({
  id: 'expired.does-not-pass',
  sentence: 'When the files of an export are gone (expired), the client starts a new export or exits non-zero; it never passes without them.',
  source: 'Bulk Data IG 2.0.0, "Bulk Data Status Request" (Expires); Verto\'s documentation (files expire)',
  scenarios: [EXPIRED],
  check({ entries, exitCode, timedOut }) {
    const gone = entries.find((e) => e.scenario === EXPIRED);
    if (!gone) return notExercised('The client never saw an export whose files had expired.');
    const restart = after(entries, gone).find((e) => isKickoff(e) && e.status === 202);
    if (restart) return pass('The client started a new export once the files were gone.', [gone, restart]);
    if (timedOut) return fail('The client neither started a new export nor exited: it was stopped at its deadline.', [gone]);
    if (exitCode === undefined || exitCode === null) return notExercised('No new export, and no exit code is known (only a grader that ran the client knows it).');
    if (exitCode !== 0) return pass(`The client exited ${exitCode} without the expired files.`, [gone]);
    return fail('The client exited 0 though the files were gone and it started no new export.', [gone]);
  },
});
