// Collects what the server's own pino logger writes (buildApp's `logStream`), so tests can read
// the log lines a production server would print.
export class LogCapture {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  get text(): string {
    return this.lines.join('');
  }

  entries(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** Entries whose message is `msg`. */
  withMessage(msg: string): Record<string, unknown>[] {
    return this.entries().filter((e) => e.msg === msg);
  }
}
