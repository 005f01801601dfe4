// The curl command equivalent to each request the page makes, for people to copy into a shell.
// Pure so it can be tested without a browser.

/** Wraps a value in single quotes for a POSIX shell; a quote inside becomes '\''. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface CurlRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers?: readonly (readonly [string, string])[];
  /** Adds `Authorization: Bearer $TOKEN`, read from the shell variable the sign-in step sets. */
  bearer?: boolean;
  body?: string;
  /** -i: show the status line and headers (Content-Location, X-Progress, Retry-After). */
  showHeaders?: boolean;
  /** --compressed: ask for gzip and unpack it, as a browser does. */
  compressed?: boolean;
  /** A shell pipeline appended after `|`, e.g. `head -n 3`. */
  pipe?: string;
}

export function curlCommand(req: CurlRequest): string {
  const first = ['curl', '-s'];
  if (req.showHeaders) first.push('-i');
  if (req.compressed) first.push('--compressed');
  if (req.method && req.method !== 'GET' && !(req.method === 'POST' && req.body !== undefined)) {
    first.push('-X', req.method);
  }
  first.push(shellQuote(req.url));
  const lines = [first.join(' ')];
  // Double quotes so the shell expands $TOKEN.
  if (req.bearer) lines.push('-H "Authorization: Bearer $TOKEN"');
  for (const [name, value] of req.headers ?? []) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (req.body !== undefined) lines.push(`-d ${shellQuote(req.body)}`);
  const command = lines.join(' \\\n  ');
  return req.pipe ? `${command} \\\n  | ${req.pipe}` : command;
}

/** The line that keeps a token in $TOKEN for the commands after it. */
export function tokenAssignment(token: string): string {
  return `TOKEN=${shellQuote(token)}`;
}
