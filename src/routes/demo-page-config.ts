// What the server writes into the demo page and the page reads back. Kept free of imports:
// the page (web/src/page-config.ts) uses the same type.

/** A simulated fault a kick-off may ask for with the `X-Mock-Scenario` header. */
export interface DemoScenario {
  name: string;
  description: string;
  /** What a well-behaved client does about it. */
  clientShould: string;
}

/** What the page reads from its `<script id="demo-config">`. */
export interface DemoPageConfig {
  /** `verto` (relative manifest urls) or `standard` (absolute ones, and the Bulk Data IG's headers). */
  profile: 'verto' | 'standard';
  basePath: string;
  tokenPath: string;
  /**
   * The simulated faults, for the kick-off header: offered whether or not the admin API
   * (`/_mock/`) is open to the page, since the header needs no admin access.
   */
  scenarios: DemoScenario[];
  /** Swagger UI's path when this server serves it, else null. */
  docsPath: string | null;
  /** The configured demo user: this is a local mock, and the page says so. */
  auth: { enabled: true; username: string; password: string } | { enabled: false };
  dataset: {
    patients: number;
    seed: number;
    referenceDate: string;
    fileMaxResources: number;
    /** The exportable types, in the order an export without `_type` lists them. */
    types: string[];
    /** Resources per type; null while the first start is still seeding. */
    counts: Record<string, number> | null;
  };
}
