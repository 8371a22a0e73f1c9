/** Entries appended within one commit window, made durable by one write and one fsync. */
export class Batch {
  readonly lines: string[] = [];
  lastSeq = 0;
  lastHash = "";
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (error: Error) => void;

  constructor(readonly firstSeq: number) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // A batch that fails with nobody awaiting it must not crash the process;
    // every append() caller still receives the rejection through its own chain.
    this.done.catch(() => {});
  }

  add(line: string, seq: number, hash: string): void {
    this.lines.push(line);
    this.lastSeq = seq;
    this.lastHash = hash;
  }
}
