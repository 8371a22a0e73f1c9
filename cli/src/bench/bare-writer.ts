import { type FileHandle, open } from "node:fs/promises";

/**
 * The baseline for group commit: the same window and fsync pattern as the
 * ledger, writing pre-built lines with no hashing, no JSON and no checks.
 */
export class BareGroupWriter {
  private pending: string[] = [];
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  private constructor(
    private readonly file: FileHandle,
    private readonly windowMs: number,
  ) {}

  static async open(path: string, windowMs: number): Promise<BareGroupWriter> {
    return new BareGroupWriter(await open(path, "a"), windowMs);
  }

  append(line: string): Promise<void> {
    this.pending.push(line);
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.windowMs);
    return done;
  }

  private async flush(): Promise<void> {
    if (this.writing) return;
    while (this.pending.length > 0) {
      const lines = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      this.writing = this.file.write(lines.join("")).then(() => this.file.datasync());
      await this.writing;
      for (const resolve of waiters) resolve();
    }
    this.writing = undefined;
  }

  async close(): Promise<void> {
    while (this.pending.length > 0 || this.writing) await (this.writing ?? this.flush());
    await this.file.close();
  }
}

/** The baseline for one fsync per entry: write one line, fdatasync, repeat. */
export async function bareFsyncPerLine(
  path: string,
): Promise<{ append(line: string): Promise<void>; close(): Promise<void> }> {
  const file = await open(path, "a");
  return {
    async append(line: string) {
      await file.write(line);
      await file.datasync();
    },
    close: () => file.close(),
  };
}
