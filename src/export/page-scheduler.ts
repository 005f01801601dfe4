// Decides when each download reads its next page, so that many downloads at once share the
// server fairly and keep its event loop turning. Every stream that wants a page joins one queue;
// once per turn of the event loop the queue is served in arrival order until a small time budget
// is spent, and the rest wait for the next turn. A turn of the loop therefore lasts a few
// milliseconds however many clients download, which matters beyond fairness: Node accepts at
// most one new connection per turn of its loop, so a turn held for 100 ms by a crowd of
// downloads kept new clients waiting seconds for their connection (docs/benchmarks.md,
// "Where the time goes under concurrency").
import { setImmediate } from 'node:timers';

/** A page read waiting its turn; `cancelled` when its stream ended meanwhile. */
export interface PageTask {
  run(): void;
  cancelled(): boolean;
}

/**
 * Time spent reading pages per turn of the event loop. A handful of pages of 64 rows: short
 * enough that new connections and requests are taken within milliseconds, long enough that the
 * cost of a turn itself (a poll of the sockets) stays a small share.
 */
export const TURN_BUDGET_MS = 1;

export class PageScheduler {
  private queue: PageTask[] = [];
  private head = 0;
  private scheduled = false;

  constructor(
    private readonly budgetMs = TURN_BUDGET_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Queues a page read; it runs in this turn's check phase or a later turn's, in arrival order. */
  enqueue(task: PageTask): void {
    this.queue.push(task);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.serve);
    }
  }

  /** Page reads waiting. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  private readonly serve = (): void => {
    const until = this.now() + this.budgetMs;
    // At least one read per turn, however long it takes, so the queue always moves.
    do {
      const task = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as PageTask;
      if (task && !task.cancelled()) task.run();
    } while (this.head < this.queue.length && this.now() < until);
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
      this.scheduled = false;
    } else {
      // Compact now and then, so a long-busy queue does not keep its served slots.
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      setImmediate(this.serve);
    }
  };
}

/** The process's one scheduler: all downloads share one event loop, so they share one queue. */
export const pageScheduler = new PageScheduler();
