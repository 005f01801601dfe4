// The document's list of exportable types is the server's.
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/plugins/openapi.js';
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';

describe('ExportableType', () => {
  it('lists exactly the types the server exports, in its order', () => {
    const document = loadDocument() as unknown as { components: { schemas: Record<string, { enum?: unknown[] }> } };
    expect(document.components.schemas.ExportableType!.enum).toEqual([...EXPORTABLE_TYPES]);
  });
});
