// The page's HTTP client: the public API, called as any client would (a bearer token from the
// password grant, the kick-off, the poll URL from Content-Location, the manifest's file URLs).
// Every call returns what the page shows: status, the headers that matter and the body.
import { fileDownloadUrl } from './file-url.js';
import type { PageConfig } from './page-config.js';

export interface Exchange {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else its text; null when empty. */
  body: unknown;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const statusLine = (status: number): string => `${status} ${REASONS[status] ?? ''}`.trim();

/** What a person should read from an error body: OperationOutcome diagnostics or an OAuth error. */
export function problemText(exchange: Exchange): string {
  const body = exchange.body as Record<string, unknown> | string | null;
  if (body && typeof body === 'object') {
    if (body.resourceType === 'OperationOutcome' && Array.isArray(body.issue)) {
      const texts = (body.issue as { diagnostics?: string; code?: string }[]).map((i) => i.diagnostics ?? i.code ?? '');
      const joined = texts.filter(Boolean).join(' ');
      if (joined) return joined;
    }
    if (typeof body.error === 'string') {
      return typeof body.error_description === 'string' ? `${body.error}: ${body.error_description}` : body.error;
    }
  }
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 300);
  return `The server answered ${statusLine(exchange.status)}.`;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  if (/json/i.test(response.headers.get('content-type') ?? '')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

export class ApiClient {
  token: string | null = null;

  constructor(
    readonly origin: string,
    readonly config: PageConfig,
  ) {}

  get authEnabled(): boolean {
    return this.config.auth.enabled;
  }

  private authorization(): Record<string, string> {
    return this.token ? { Authorization: `Bearer ${this.token}` } : {};
  }

  private async call(method: string, url: string, init: RequestInit = {}): Promise<Exchange> {
    const response = await fetch(url, { ...init, method, cache: 'no-store' });
    return { method, url, status: response.status, headers: response.headers, body: await readBody(response) };
  }

  get tokenUrl(): string {
    return `${this.origin}${this.config.tokenPath}`;
  }

  tokenRequestBody(username: string, password: string): string {
    return JSON.stringify({ grant_type: 'password', username, password });
  }

  async signIn(username: string, password: string): Promise<Exchange> {
    const exchange = await this.call('POST', this.tokenUrl, {
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: this.tokenRequestBody(username, password),
    });
    const body = exchange.body as { access_token?: unknown } | null;
    this.token = exchange.status === 200 && typeof body?.access_token === 'string' ? body.access_token : null;
    return exchange;
  }

  kickOffUrl(types: readonly string[]): string {
    return `${this.origin}${this.config.basePath}/fhir/$export?_type=${types.map(encodeURIComponent).join(',')}`;
  }

  /** Headers a kick-off sends; the standard profile requires the first two, Verto ignores them. */
  kickOffHeaders(scenario: string | null): [string, string][] {
    const headers: [string, string][] = [
      ['Accept', 'application/fhir+json'],
      ['Prefer', 'respond-async'],
    ];
    if (scenario) headers.push(['X-Mock-Scenario', scenario]);
    return headers;
  }

  kickOff(types: readonly string[], scenario: string | null): Promise<Exchange> {
    return this.call('GET', this.kickOffUrl(types), {
      headers: { ...Object.fromEntries(this.kickOffHeaders(scenario)), ...this.authorization() },
    });
  }

  poll(pollUrl: string): Promise<Exchange> {
    return this.call('GET', pollUrl, { headers: { Accept: 'application/json', ...this.authorization() } });
  }

  cancel(pollUrl: string): Promise<Exchange> {
    return this.call('DELETE', pollUrl, { headers: this.authorization() });
  }

  fileUrl(manifestUrl: string): string {
    return fileDownloadUrl(manifestUrl, this.origin, this.config.basePath);
  }

  /**
   * A read of the admin API (`/_mock/...`, at the origin's root whatever the base path). The page
   * sends no admin token: the API answers it only where it is open to loopback without one.
   */
  admin(path: string): Promise<Exchange> {
    return this.call('GET', `${this.origin}/_mock${path}`, { headers: { Accept: 'application/json' } });
  }

  /** The download's response, body unread, so a preview can stop after a few lines. */
  download(fileUrl: string): Promise<Response> {
    return fetch(fileUrl, { headers: { Accept: 'application/fhir+ndjson', ...this.authorization() }, cache: 'no-store' });
  }
}
