// Export jobs and their files. Every state change is a conditional UPDATE on the current
// status, so a late writer cannot undo a transition: a cancel that lands while the job runs
// is never overwritten by the runner's "completed" (CONTRIBUTING.md, "Async work").
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ExportSelection } from '../export/selection.js';
import type { OperationOutcome } from '../fhir/r4.js';
import { storedScenarioNames, type ScenarioName } from '../scenarios/catalog.js';
import type { Db } from './database.js';

/** Files written or deleted per statement before the event loop gets a turn. */
export const WRITE_SLICE_ROWS = 256;

export type JobStatus = 'accepted' | 'in-progress' | 'completed' | 'failed' | 'cancelled';

/** What the kick-off asked for, validated; stored with the job so a restart can resume it. */
export interface JobParams {
  types: string[];
  /** Items ignored under `Prefer: handling=lenient`, reported in the manifest's `error`. */
  ignored: string[];
  /** Patients named in `patient` that the export cannot cover (unknown, or not in the Group), one text each, reported in the manifest's `error`. */
  missingPatients?: string[];
  /** Simulated faults that apply to this job's whole life (src/scenarios/catalog.ts). */
  scenarios: ScenarioName[];
  /** Standard-profile selection (level, patient, _since, _until, _typeFilter, _elements). */
  selection?: ExportSelection;
}

/**
 * What the simulated faults of a job have done so far, stored as JSON with the job: each
 * scenario keeps its own fields (src/scenarios/), e.g. the files whose first download failed.
 */
export type FaultState = Record<string, unknown>;

export interface Job {
  id: string;
  owner: string | null;
  status: JobStatus;
  request: string;
  params: JobParams;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  /** Before this instant a completed job still answers 202, so clients always see progress first. */
  readyAt: number | null;
  expiresAt: number | null;
  transactionTime: string;
  watermark: number;
  error: OperationOutcome | null;
  faultState: FaultState;
}

export interface JobFile {
  id: string;
  jobId: string;
  kind: 'output' | 'error';
  seq: number;
  type: string;
  ridFrom: number | null;
  ridTo: number | null;
  count: number;
  /** Inline NDJSON, for the small error files; output files are rid ranges instead. */
  content: string | null;
}

interface JobRow {
  id: string;
  owner: string | null;
  status: JobStatus;
  request: string;
  params: string;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  ready_at: number | null;
  expires_at: number | null;
  transaction_time: string;
  watermark: number;
  error: string | null;
  fault_state: string;
}

interface FileRow {
  id: string;
  job_id: string;
  kind: 'output' | 'error';
  seq: number;
  type: string;
  rid_from: number | null;
  rid_to: number | null;
  count: number;
  content: string | null;
}

/** A job's stored parameters; its scenarios are read as the names this server knows. */
function parseParams(json: string): JobParams {
  const params = JSON.parse(json) as JobParams;
  return { ...params, scenarios: storedScenarioNames(params.scenarios) };
}

const toJob = (r: JobRow): Job => ({
  id: r.id,
  owner: r.owner,
  status: r.status,
  request: r.request,
  params: parseParams(r.params),
  createdAt: r.created_at,
  startedAt: r.started_at,
  completedAt: r.completed_at,
  readyAt: r.ready_at,
  expiresAt: r.expires_at,
  transactionTime: r.transaction_time,
  watermark: r.watermark,
  error: r.error === null ? null : (JSON.parse(r.error) as OperationOutcome),
  faultState: JSON.parse(r.fault_state) as FaultState,
});

const toFile = (r: FileRow): JobFile => ({
  id: r.id,
  jobId: r.job_id,
  kind: r.kind,
  seq: r.seq,
  type: r.type,
  ridFrom: r.rid_from,
  ridTo: r.rid_to,
  count: r.count,
  content: r.content,
});

export type NewJob = Pick<Job, 'id' | 'owner' | 'request' | 'params' | 'createdAt' | 'transactionTime' | 'watermark'>;

export type JobRepository = ReturnType<typeof createJobRepository>;

export function createJobRepository(db: Db) {
  const insertJob = db.prepare(
    `INSERT INTO job (id, owner, status, request, params, created_at, transaction_time, watermark)
     VALUES (@id, @owner, 'accepted', @request, @params, @createdAt, @transactionTime, @watermark)`,
  );
  const selectJob = db.prepare('SELECT * FROM job WHERE id = ?');
  const selectStatus = db.prepare('SELECT status FROM job WHERE id = ?').pluck();
  const selectUnfinished = db.prepare(
    "SELECT id, status FROM job WHERE status IN ('accepted', 'in-progress') ORDER BY created_at, id",
  );
  const markStarted = db.prepare(
    "UPDATE job SET status = 'in-progress', started_at = ? WHERE id = ? AND status IN ('accepted', 'in-progress')",
  );
  const markCompleted = db.prepare(
    `UPDATE job SET status = 'completed', completed_at = @completedAt, ready_at = @readyAt, expires_at = @expiresAt
     WHERE id = @id AND status = 'in-progress'`,
  );
  const markFailed = db.prepare(
    `UPDATE job SET status = 'failed', error = @error, completed_at = @now, ready_at = @readyAt, expires_at = @expiresAt
     WHERE id = @id AND status IN ('accepted', 'in-progress')`,
  );
  const selectFaultState = db.prepare('SELECT fault_state FROM job WHERE id = ?').pluck();
  const writeFaultState = db.prepare('UPDATE job SET fault_state = ? WHERE id = ?');
  const deleteAll = db.prepare('DELETE FROM job');
  const markCancelled = db.prepare("UPDATE job SET status = 'cancelled' WHERE id = ? AND status <> 'cancelled'");
  const insertFile = db.prepare(
    `INSERT INTO job_file (id, job_id, kind, seq, type, rid_from, rid_to, count, content)
     VALUES (@id, @jobId, @kind, @seq, @type, @ridFrom, @ridTo, @count, @content)`,
  );
  const deleteFiles = db.prepare('DELETE FROM job_file WHERE job_id = ?');
  const selectFiles = db.prepare('SELECT * FROM job_file WHERE job_id = ? ORDER BY kind DESC, seq');
  const selectFile = db.prepare('SELECT * FROM job_file WHERE id = ?');
  const selectExpired = db
    .prepare(
      `SELECT id FROM job WHERE (expires_at IS NOT NULL AND expires_at <= @now)
         OR (status = 'cancelled' AND created_at <= @cancelledBefore)
       LIMIT @limit`,
    )
    .pluck();
  const deleteSomeFiles = db.prepare(
    'DELETE FROM job_file WHERE rowid IN (SELECT rowid FROM job_file WHERE job_id = ? LIMIT ?)',
  );
  const deleteJob = db.prepare('DELETE FROM job WHERE id = ?');

  /** One slice of a job's files, written only while the job is still running; false if it is not. */
  // A cancel deletes the files written so far, and none is written after it.
  const writeFileSlice = db.transaction((id: string, slice: readonly JobFile[], first: boolean) => {
    if (selectStatus.get(id) !== 'in-progress') return false;
    // A run resumed after a restart writes its files again from the start.
    if (first) deleteFiles.run(id);
    for (const f of slice) insertFile.run(f);
    return true;
  });
  const updateFaultState = db.transaction(<T>(id: string, change: (state: FaultState) => T): T => {
    const raw = selectFaultState.get(id) as string | undefined;
    const state = JSON.parse(raw ?? '{}') as FaultState;
    const result = change(state);
    writeFaultState.run(JSON.stringify(state), id);
    return result;
  });
  const cancel = db.transaction((id: string) => {
    if (markCancelled.run(id).changes === 0) return false;
    deleteFiles.run(id);
    return true;
  });

  return {
    create(job: NewJob): void {
      insertJob.run({ ...job, params: JSON.stringify(job.params) });
    },
    get(id: string): Job | undefined {
      const row = selectJob.get(id) as JobRow | undefined;
      return row && toJob(row);
    },
    /**
     * Ids only: a row that cannot be read whole must not stop the others from being resumed;
     * the runner reads each job itself and marks one it cannot read as failed.
     */
    unfinished(): Pick<Job, 'id' | 'status'>[] {
      return selectUnfinished.all() as Pick<Job, 'id' | 'status'>[];
    },
    /** accepted → in-progress (also re-entered when a restart resumes the job). */
    start(id: string, now: number): boolean {
      return markStarted.run(now, id).changes === 1;
    },
    /**
     * in-progress → completed, with its files; false if the job was cancelled meanwhile (its
     * files are then gone). The files are written in slices with a turn of the event loop
     * between them, so an export of thousands of files does not hold the loop; clients see
     * none of them until the last statement marks the job completed.
     */
    async complete(
      id: string,
      files: readonly JobFile[],
      times: { completedAt: number; readyAt: number; expiresAt: number },
    ): Promise<boolean> {
      for (let start = 0; start === 0 || start < files.length; start += WRITE_SLICE_ROWS) {
        if (start > 0) await nextTurn();
        if (!writeFileSlice(id, files.slice(start, start + WRITE_SLICE_ROWS), start === 0)) return false;
      }
      return markCompleted.run({ id, ...times }).changes === 1;
    },
    /** accepted | in-progress → failed; clients see it from `readyAt` on (a job may fail "later"). */
    fail(id: string, error: OperationOutcome, times: { now: number; readyAt: number; expiresAt: number }): boolean {
      return markFailed.run({ id, error: JSON.stringify(error), ...times }).changes === 1;
    },
    /** Reads, changes and writes a job's fault state atomically; returns what `change` returns. */
    updateFaultState<T>(id: string, change: (state: FaultState) => T): T {
      return updateFaultState(id, change) as T;
    },
    /** Forgets every job and file (the admin reset). */
    deleteAll(): number {
      return deleteAll.run().changes;
    },
    /** any → cancelled; its files are gone at once. False if it was already cancelled. */
    cancel(id: string): boolean {
      return cancel(id);
    },
    files(jobId: string): JobFile[] {
      return (selectFiles.all(jobId) as FileRow[]).map(toFile);
    },
    file(id: string): JobFile | undefined {
      const row = selectFile.get(id) as FileRow | undefined;
      return row && toFile(row);
    },
    /**
     * Deletes expired jobs with their files, and long-cancelled ones; returns how many jobs.
     * A job's files go a slice at a time with a turn of the event loop between, so sweeping
     * many big exports at once does not hold the loop; `shouldStop` is asked at each turn
     * (what is left is deleted by the next sweep).
     */
    async deleteExpired(now: number, cancelledBefore: number, shouldStop: () => boolean = () => false): Promise<number> {
      let deleted = 0;
      for (;;) {
        const ids = selectExpired.all({ now, cancelledBefore, limit: 16 }) as string[];
        if (ids.length === 0) return deleted;
        for (const id of ids) {
          while (deleteSomeFiles.run(id, WRITE_SLICE_ROWS).changes > 0) {
            await nextTurn();
            if (shouldStop()) return deleted;
          }
          deleted += deleteJob.run(id).changes;
        }
        await nextTurn();
        if (shouldStop()) return deleted;
      }
    },
  };
}
