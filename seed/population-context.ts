// What every module shares across the population.
import type { DatasetParams } from '../src/config.js';
import type { Directory } from './directory.js';

export interface PopulationContext {
  params: DatasetParams;
  /** The population's "today" (midnight UTC): nothing happens at or after it. */
  referenceMs: number;
  directory: Directory;
}
