import type { DurableJsonFile } from "./durable-json-file.js";

/**
 * The background writes of a cache held in memory: `schedule()` after each
 * change saves the cache's current `contents()` soon, never two writes at
 * once; changes made while a write runs go out together in the next. A
 * write that fails goes to `failed` (the cache says what is lost) and the
 * next change writes again.
 */
export class CoalescedWrites<T> {
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly file: DurableJsonFile<unknown>,
    private readonly contents: () => T,
    private readonly failed: (error: unknown) => void,
  ) {}

  schedule(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.writing = this.writing.then(() => this.save());
  }

  /** Waits for the last scheduled write. */
  async flush(): Promise<void> {
    while (this.dirty) await this.writing;
    await this.writing;
  }

  /** Writes the contents now. */
  async save(): Promise<void> {
    this.dirty = false;
    try {
      await this.file.write(this.contents());
    } catch (error) {
      this.failed(error);
    }
  }
}
