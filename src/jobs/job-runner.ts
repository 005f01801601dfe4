// A supervised, in-process job runner (CONTRIBUTING.md, "Async work"): at most `concurrency`
// jobs run at once, at most `backlog` more wait in a queue, in the order they came. Every run
// is awaited; a job function that throws has its failure logged and recorded; close() stops
// taking work, aborts the running jobs' signal and waits for them. It knows nothing of what a
// job does: a job is an id, and the job function does the work.

/** The logger a runner writes to (pino's, in the server). */
export interface JobLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(bindings: object): JobLog;
}

export interface JobContext<P> {
  id: string;
  /** The runner's log with this job's id on every line. */
  log: JobLog;
  /** Aborted when the runner closes: stop soon, leaving the job to be resumed by the next start. */
  signal: AbortSignal;
  /** Publishes how far the job has come (read with progressOf while it runs). */
  report(progress: P): void;
  /** Milliseconds since the job started. */
  elapsedMs(): number;
}

export type JobFunction<P> = (job: JobContext<P>) => Promise<void>;

export interface JobRunnerOptions<P> {
  concurrency: number;
  backlog: number;
  log: JobLog;
  work: JobFunction<P>;
  /** Records on the job that its function failed, where its client will see it. */
  recordFailure: (id: string, err: unknown) => void;
  /** What the log calls a job, e.g. "export job". */
  label?: string;
}

export class JobRunner<P = unknown> {
  private readonly queue: string[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private readonly progress = new Map<string, P>();
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly stop = new AbortController();
  private readonly label: string;

  constructor(protected readonly options: JobRunnerOptions<P>) {
    this.label = options.label ?? 'job';
  }

  /** False when the queue is full: a new job should be refused rather than taken. */
  hasRoom(): boolean {
    const { concurrency, backlog } = this.options;
    return this.queue.length + this.running.size < concurrency + backlog;
  }

  enqueue(id: string): void {
    if (this.isClosed) return;
    this.queue.push(id);
    this.pump();
  }

  /** Takes a job that has not started out of the queue (cancelled, deleted): it no longer holds a place. */
  unqueue(id: string): void {
    const at = this.queue.indexOf(id);
    if (at !== -1) this.queue.splice(at, 1);
  }

  /** Empties the queue (every job was deleted). */
  clearQueue(): void {
    this.queue.length = 0;
  }

  isQueued(id: string): boolean {
    return this.queue.includes(id);
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** What a running job last reported; undefined when it is not running or reported nothing. */
  progressOf(id: string): P | undefined {
    return this.progress.get(id);
  }

  /** Queues the jobs a previous process left unfinished (each logged with its fields). */
  resume<J extends { id: string }>(jobs: Iterable<J>): void {
    for (const job of jobs) {
      const { id, ...fields } = job;
      this.options.log.info({ jobId: id, ...fields }, `resuming unfinished ${this.label}`);
      this.enqueue(id);
    }
  }

  /** Runs a background task (a sweep, say) that close() waits for; its result is passed through. */
  supervise<T>(task: Promise<T>): Promise<T> {
    const tracked = task.finally(() => this.tasks.delete(tracked));
    this.tasks.add(tracked);
    return tracked;
  }

  get isClosed(): boolean {
    return this.stop.signal.aborted;
  }

  /** Stops taking work, tells the running jobs to stop, and waits for them and the supervised tasks. */
  async close(): Promise<void> {
    this.stop.abort();
    this.queue.length = 0;
    await Promise.allSettled([...this.running.values(), ...this.tasks]);
  }

  private pump(): void {
    while (!this.isClosed && this.running.size < this.options.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      const run = this.run(id).finally(() => {
        this.running.delete(id);
        this.progress.delete(id);
        this.pump();
      });
      this.running.set(id, run);
    }
  }

  private async run(id: string): Promise<void> {
    const log = this.options.log.child({ jobId: id });
    const started = performance.now();
    const elapsedMs = () => Math.round(performance.now() - started);
    try {
      await this.options.work({
        id,
        log,
        signal: this.stop.signal,
        report: (progress) => this.progress.set(id, progress),
        elapsedMs,
      });
    } catch (err) {
      log.error({ err, outcome: 'failed', ms: elapsedMs() }, `${this.label} failed`);
      try {
        this.options.recordFailure(id, err);
      } catch (recordErr) {
        // A failure to record one (a database error, say) must not become an unhandled
        // rejection that stops the process.
        log.error({ err: recordErr }, `${this.label} failure could not be recorded`);
      }
    }
  }
}
