// The client requirements (docs/grading.md): one module each under requirements/, in the
// order a client meets them. A new requirement is one module, added to REQUIREMENTS.
import type { ScenarioName } from '../scenarios/catalog.js';
import type { Requirement } from './requirement.js';
import { authNoTokenInUrl } from './requirements/auth-no-token-in-url.js';
import { authRenewsToken } from './requirements/auth-renews-token.js';
import { dataComplete } from './requirements/data-complete.js';
import { downloadChecksCount } from './requirements/download-checks-count.js';
import { downloadCompletesSlow } from './requirements/download-completes-slow.js';
import { downloadEveryFile } from './requirements/download-every-file.js';
import { downloadFollowsRedirect } from './requirements/download-follows-redirect.js';
import { downloadJoinsBase } from './requirements/download-joins-base.js';
import { downloadManyFiles } from './requirements/download-many-files.js';
import { downloadNoTokenToSigned } from './requirements/download-no-token-to-signed.js';
import { downloadReadTimeout } from './requirements/download-read-timeout.js';
import { downloadRetriesTransient } from './requirements/download-retries-transient.js';
import { downloadRetriesTruncated } from './requirements/download-retries-truncated.js';
import { downloadSendsToken } from './requirements/download-sends-token.js';
import { downloadWaitsAfter429 } from './requirements/download-waits-after-429.js';
import { exitHonest } from './requirements/exit-honest.js';
import { expiredDoesNotPass } from './requirements/expired-does-not-pass.js';
import { kickoffWaitsAfter429 } from './requirements/kickoff-waits-after-429.js';
import { partialReadsErrors } from './requirements/partial-reads-errors.js';
import { pollGivesUpStuck } from './requirements/poll-gives-up-stuck.js';
import { pollHonoursRetryAfter } from './requirements/poll-honours-retry-after.js';
import { pollRetriesTransient } from './requirements/poll-retries-transient.js';
import { pollStopsOnFailure } from './requirements/poll-stops-on-failure.js';
import { retryAfterHonoursDate } from './requirements/retry-honours-date.js';

export const REQUIREMENTS = [
  kickoffWaitsAfter429,
  pollHonoursRetryAfter,
  pollRetriesTransient,
  pollStopsOnFailure,
  retryAfterHonoursDate,
  pollGivesUpStuck,
  authRenewsToken,
  authNoTokenInUrl,
  downloadJoinsBase,
  downloadSendsToken,
  downloadEveryFile,
  downloadRetriesTransient,
  downloadRetriesTruncated,
  downloadWaitsAfter429,
  downloadCompletesSlow,
  downloadReadTimeout,
  downloadChecksCount,
  downloadManyFiles,
  downloadFollowsRedirect,
  downloadNoTokenToSigned,
  partialReadsErrors,
  expiredDoesNotPass,
  dataComplete,
  exitHonest,
] as const satisfies readonly Requirement[];

export type RequirementId = (typeof REQUIREMENTS)[number]['id'];

/** The requirements a run with these scenarios exercises: every `all` one, and those listing any of them. */
export function applicableRequirements(scenarios: readonly ScenarioName[]): Requirement[] {
  return REQUIREMENTS.filter((r) => r.scenarios === 'all' || r.scenarios.some((s) => scenarios.includes(s)));
}
