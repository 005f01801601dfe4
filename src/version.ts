import { existsSync, readFileSync } from 'node:fs';

// Read at run time so the compiled server (dist/src) and the sources report the same version.
const candidates = ['../package.json', '../../package.json'].map((p) => new URL(p, import.meta.url));
const found = candidates.find((u) => existsSync(u));
export const version: string = found ? (JSON.parse(readFileSync(found, 'utf8')) as { version: string }).version : 'unknown';
