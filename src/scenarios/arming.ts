// Scenarios armed through the admin API for the next kick-offs, server-wide and in memory
// (a restart or POST /_mock/reset disarms them).
import { badRequest } from '../errors.js';
import { isScenarioName, SCENARIO_NAMES, type ScenarioName } from './catalog.js';

export interface Armed {
  scenario: ScenarioName;
  /** Kick-offs it still applies to; null = until disarmed. */
  remaining: number | null;
}

/** Reads a comma list of scenario names (the X-Mock-Scenario header); unknown names are a 400. */
export function parseScenarioList(value: string | string[] | undefined, where: string): ScenarioName[] {
  if (value === undefined) return [];
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((s) => s.trim());
  const names: ScenarioName[] = [];
  for (const item of items) {
    if (item === '') continue;
    if (!isScenarioName(item)) {
      throw badRequest(`${where} names "${item}", which is not a scenario. Scenarios: ${SCENARIO_NAMES.join(', ')}.`, where);
    }
    if (!names.includes(item)) names.push(item);
  }
  return names;
}

export class ScenarioArming {
  private armed: Armed[] = [];

  list(): Armed[] {
    return this.armed.map((a) => ({ ...a }));
  }

  arm(scenario: ScenarioName, count: number | null): void {
    this.armed = this.armed.filter((a) => a.scenario !== scenario);
    this.armed.push({ scenario, remaining: count });
  }

  disarmAll(): void {
    this.armed = [];
  }

  /** The scenarios for one kick-off; counts go down by one. */
  take(): ScenarioName[] {
    const taken = this.armed.map((a) => a.scenario);
    for (const a of this.armed) if (a.remaining !== null) a.remaining--;
    this.armed = this.armed.filter((a) => a.remaining === null || a.remaining > 0);
    return taken;
  }
}
