// The manifest as the poll's 200 answers it (docs/behaviour.md, "Manifest"). Kept free of imports:
// the demo page (web/) reads the same shape.

export interface ManifestEntry {
  type: string;
  url: string;
  count: number;
}

export interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: ManifestEntry[];
  error: ManifestEntry[];
}
