// What an export's files contain, in one place: the rows its selection picks (level, patient,
// _since/_until, _typeFilter), read a page at a time, reduced to `_elements` when asked. The
// job planning the files and the download streaming one read them alike, so a file's `count`
// is always the number of lines it streams.
import { Readable } from 'node:stream';
import type { JobFile } from '../store/job-repository.js';
import type { ResourceRepository } from '../store/resource-repository.js';
import { keptElements, subsetLine } from './elements.js';
import type { RidSource } from './file-plan.js';
import { NdjsonRangeStream, pageOfLines, type PageReader } from './ndjson-stream.js';
import { selectionSql, type ExportSelection } from './selection.js';
import type { SqlCondition } from './type-filter.js';

export type RowSource = RidSource & Pick<ResourceRepository, 'jsonAfter' | 'ndjsonAfter'>;

/** The rows of each type an export selects, as SQL conditions; undefined = every row of the type. */
export function selectionOf(selection: ExportSelection | undefined): (type: string) => SqlCondition | undefined {
  return (type) => selectionSql(selection, type);
}

/** Reads the rows of `type` the export selects, up to `toRid`, a page at a time, as the file's lines. */
export function pageReader(resources: RowSource, selection: ExportSelection | undefined, type: string, toRid: number): PageReader {
  const where = selectionSql(selection, type);
  const kept = selection?.elements && keptElements(type, selection.elements);
  // Without `_elements` the page comes from SQLite as one NDJSON string, untouched here.
  if (!kept) return (after, limit) => resources.ndjsonAfter(type, after, toRid, limit, where);
  return (after, limit) =>
    pageOfLines(resources.jsonAfter(type, after, toRid, limit, where).map(([rid, json]) => [rid, subsetLine(json, kept)]));
}

/** A file's body: its inline content (error files), or its rid range streamed page by page. */
export function fileBody(resources: RowSource, selection: ExportSelection | undefined, file: JobFile): Readable {
  if (file.content !== null) return Readable.from([file.content]);
  return new NdjsonRangeStream(pageReader(resources, selection, file.type, file.ridTo!), file.ridFrom!, file.count);
}
