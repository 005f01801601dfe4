// The settings the server writes into the page (src/routes/demo-page.ts, DemoPageConfig).
export interface PageConfig {
  profile: 'verto' | 'standard';
  basePath: string;
  tokenPath: string;
  scenariosPath: string;
  docsPath: string | null;
  auth: { enabled: true; username: string; password: string } | { enabled: false };
  dataset: {
    patients: number;
    seed: number;
    referenceDate: string;
    fileMaxResources: number;
    types: string[];
    counts: Record<string, number> | null;
  };
}

export function readPageConfig(doc: Document): PageConfig {
  const text = doc.getElementById('demo-config')?.textContent ?? '';
  if (!text.trim().startsWith('{')) {
    throw new Error('This page has no server settings: open it from the running mock server (npm start), not from a file.');
  }
  return JSON.parse(text) as PageConfig;
}
