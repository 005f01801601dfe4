// What a client wrote into its output folder: every NDJSON line's resourceType and id, from
// every `*.ndjson` file of the folder and its subfolders (other files, a log say, are not read). A line that is not a JSON object with both is
// kept with empty fields, so a check on completeness counts it as wrong rather than missing.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface WrittenResource {
  resourceType: string;
  id: string;
}

function readLine(line: string): WrittenResource {
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value === 'object' && value !== null) {
      const { resourceType, id } = value as Record<string, unknown>;
      return { resourceType: typeof resourceType === 'string' ? resourceType : '', id: typeof id === 'string' ? id : '' };
    }
  } catch {
    // not JSON: counted as a wrong line below
  }
  return { resourceType: '', id: '' };
}

export async function readWrittenResources(folder: string): Promise<WrittenResource[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.ndjson'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  const written: WrittenResource[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const line of text.split('\n')) if (line.trim() !== '') written.push(readLine(line));
  }
  return written;
}
