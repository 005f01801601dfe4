// The Prefer header (RFC 7240), as the Bulk Data IG uses it: `respond-async` and `handling=lenient`.
export function preferences(header: string | string[] | undefined): Map<string, string> {
  const prefs = new Map<string, string>();
  const values = Array.isArray(header) ? header : header ? [header] : [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const [token = '', ...rest] = part.split(';')[0]!.split('=');
      const name = token.trim().toLowerCase();
      if (name) prefs.set(name, rest.join('=').trim().replace(/^"|"$/g, '').toLowerCase());
    }
  }
  return prefs;
}
