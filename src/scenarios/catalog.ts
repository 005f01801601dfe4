// The simulated faults a client can ask for (docs/behaviour.md, "Simulated faults"): the
// registry of scenario modules, in the order they are documented and listed. Chosen per export
// with the kick-off header X-Mock-Scenario, or armed for the next kick-offs at /_mock/scenarios.
// A new scenario is one module beside this file, added to REGISTRY.
import { badRequest } from '../errors.js';
import { countMismatch } from './count-mismatch.js';
import { downloadError } from './download-error.js';
import { downloadRedirect } from './download-redirect.js';
import { downloadReset } from './download-reset.js';
import { downloadSlow } from './download-slow.js';
import { downloadStall } from './download-stall.js';
import { downloadThrottled } from './download-throttled.js';
import { downloadTruncated } from './download-truncated.js';
import { filesExpired } from './files-expired.js';
import { jobFails } from './job-fails.js';
import { jobStuck } from './job-stuck.js';
import { kickoffError } from './kickoff-error.js';
import { kickoffThrottled } from './kickoff-throttled.js';
import { partial } from './partial.js';
import { pollTooFast } from './poll-too-fast.js';
import { pollTransient } from './poll-transient.js';
import { retryAfterDateScenario } from './retry-after-date.js';
import type { Scenario } from './scenario.js';
import { signedUrls } from './signed-urls.js';
import { slow } from './slow.js';
import { tinyFiles } from './tiny-files.js';
import { tokenExpires } from './token-expires.js';

export const REGISTRY = [
  kickoffError,
  kickoffThrottled,
  slow,
  jobFails,
  pollTransient,
  pollTooFast,
  partial,
  tokenExpires,
  downloadError,
  downloadTruncated,
  filesExpired,
  downloadSlow,
  downloadStall,
  downloadReset,
  downloadThrottled,
  retryAfterDateScenario,
  jobStuck,
  countMismatch,
  tinyFiles,
  signedUrls,
  downloadRedirect,
] as const satisfies readonly Scenario[];

export type ScenarioName = (typeof REGISTRY)[number]['name'];

export const SCENARIO_NAMES: ScenarioName[] = REGISTRY.map((s) => s.name);

/** What each scenario does and what a client should do about it, by name. */
export const SCENARIOS = Object.fromEntries(
  REGISTRY.map(({ name, description, clientShould }) => [name, { description, clientShould }]),
) as Record<ScenarioName, { description: string; clientShould: string }>;

/** Every scenario with its name, as the admin API lists them and the demo page offers them. */
export const SCENARIO_LIST = SCENARIO_NAMES.map((name) => ({ name, ...SCENARIOS[name] }));

export function isScenarioName(value: string): value is ScenarioName {
  return Object.hasOwn(SCENARIOS, value);
}

/** Refuses scenarios this server cannot simulate as set up (`where`: the header or field that named them). */
export function assertScenariosApply(names: readonly ScenarioName[], authEnabled: boolean, where: string): void {
  for (const scenario of REGISTRY) {
    if (!names.includes(scenario.name)) continue;
    const reason = scenario.hooks.unavailable?.({ authEnabled });
    if (reason !== undefined) throw badRequest(reason, where);
  }
}

/** A job's scenarios as stored: the names this server knows, in order (a name it no longer knows is dropped). */
export function storedScenarioNames(value: unknown): ScenarioName[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is ScenarioName => typeof v === 'string' && isScenarioName(v));
}

export { THROTTLED_RETRY_AFTER_SECONDS } from './kickoff-throttled.js';
export { TRANSIENT_RETRY_AFTER_SECONDS } from './scenario.js';
