/** One self-overwriting line on stderr when it is a terminal; silent otherwise. */
export class Progress {
  private last = 0;
  private shown = false;
  constructor(private readonly enabled: boolean = process.stderr.isTTY === true) {}

  update(label: string, done: number, total: number, extra = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (done < total && now - this.last < 100) return;
    this.last = now;
    const width = 30;
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    process.stderr.write(`\r${label.padEnd(12)} ${bar} ${done}/${total}${extra ? ` ${extra}` : ''}\x1b[K`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

/** Data-quality warnings are not progress: they are printed under --quiet too. */
export function warn(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function log(quiet: boolean, message: string): void {
  if (!quiet) process.stderr.write(`${message}\n`);
}
