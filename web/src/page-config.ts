// The settings the server writes into the page (src/routes/demo-page.ts).
import type { DemoPageConfig } from '../../src/routes/demo-page-config.js';

export type PageConfig = DemoPageConfig;

export function readPageConfig(doc: Document): PageConfig {
  const text = doc.getElementById('demo-config')?.textContent ?? '';
  if (!text.trim().startsWith('{')) {
    throw new Error('This page has no server settings: open it from the running mock server (npm start), not from a file.');
  }
  return JSON.parse(text) as PageConfig;
}
