// Counts every SQLite statement execution in this test process, by SQL text, with the rows it
// returned: the cost of a request measured in work done, which a busy machine cannot skew.
import Database from 'better-sqlite3';

type Method = 'get' | 'all' | 'run' | 'iterate';
const METHODS: Method[] = ['get', 'all', 'run', 'iterate'];

export interface Execution {
  source: string;
  rows: number;
  /** The statement's bound parameters, as given. */
  params: unknown[];
}

export interface StatementCounter {
  readonly executions: Execution[];
  /** The executions since `from` (an index into `executions`) whose SQL matches. */
  since(from: number, sql: RegExp): Execution[];
  restore(): void;
}

/** Wraps the methods shared by every better-sqlite3 statement until `restore()`. */
export function countStatements(): StatementCounter {
  const scratch = new Database(':memory:');
  const proto = Object.getPrototypeOf(scratch.prepare('SELECT 1')) as Record<Method, (...args: unknown[]) => unknown>;
  scratch.close();
  const originals = METHODS.map((m) => [m, proto[m]] as const);
  const executions: Execution[] = [];
  for (const [method, original] of originals) {
    proto[method] = function (this: { source: string }, ...params: unknown[]) {
      const result = original.apply(this, params);
      const execution: Execution = { source: this.source, rows: 0, params };
      executions.push(execution);
      if (method === 'all') execution.rows = (result as unknown[]).length;
      else if (method === 'get') execution.rows = result === undefined ? 0 : 1;
      else if (method === 'iterate') {
        const inner = result as IterableIterator<unknown>;
        return (function* () {
          for (const row of inner) {
            execution.rows++;
            yield row;
          }
        })();
      }
      return result;
    };
  }
  return {
    executions,
    since: (from, sql) => executions.slice(from).filter((e) => sql.test(e.source)),
    restore() {
      for (const [method, original] of originals) proto[method] = original;
    },
  };
}
