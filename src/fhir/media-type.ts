// The media type of a FHIR JSON answer, negotiated with the client's Accept header: FHIR's own
// `application/fhir+json`, unless the client prefers plain `application/json` (a higher
// q-value, or the same one from a more specific range; a tie goes to FHIR's type).

export const FHIR_JSON = 'application/fhir+json';
export const JSON_TYPE = 'application/json';

/** The q-value Accept gives `type`, from its most specific matching range, and how specific that range is (-1: none). */
function quality(accept: string, type: string): { level: number; q: number } {
  const major = type.split('/')[0]!;
  let best = { level: -1, q: 0 };
  for (const range of accept.split(',')) {
    const [name = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const level = name === type ? 2 : name === `${major}/*` ? 1 : name === '*/*' ? 0 : -1;
    if (level < 0 || level < best.level) continue;
    const given = params.find((p) => p.startsWith('q='));
    const q = given === undefined ? 1 : Number(given.slice(2)) || 0;
    best = { level, q: level > best.level ? q : Math.max(best.q, q) };
  }
  return best;
}

/** `application/json` when the client's Accept prefers it to `application/fhir+json`, else `application/fhir+json`. */
export function fhirJsonMediaType(accept: string | undefined): typeof FHIR_JSON | typeof JSON_TYPE {
  if (!accept) return FHIR_JSON;
  const json = quality(accept, JSON_TYPE);
  const fhir = quality(accept, FHIR_JSON);
  const prefersJson = json.q > fhir.q || (json.q === fhir.q && json.q > 0 && json.level > fhir.level);
  return prefersJson ? JSON_TYPE : FHIR_JSON;
}
