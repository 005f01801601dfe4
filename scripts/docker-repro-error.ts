// The one failure the reproduction reports: which step of the image's life broke, and why.
export type ReproStep = 'recipe' | 'context' | 'build' | 'start' | 'health' | 'page' | 'export' | 'stop' | 'volume';

export const REPRO_STEPS: readonly ReproStep[] = [
  'recipe',
  'context',
  'build',
  'start',
  'health',
  'page',
  'export',
  'stop',
  'volume',
];

export class ReproError extends Error {
  override name = 'ReproError';
  constructor(
    readonly step: ReproStep,
    message: string,
  ) {
    super(message);
  }
}
