import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { type Logger, silentLogger } from "@comptoir/contracts";
import { z } from "zod";
import { fsyncDirectory } from "../ledger/segments.js";

export const ACKED_FILE = "sync-acked.json";

const AckedFileSchema = z.strictObject({
  node: z.string(),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/**
 * The last seq the gateway acknowledged, kept in `<dataDir>/sync-acked.json`
 * across restarts. Written tmp → fsync → rename → fsync of the directory,
 * so a crash leaves the old value or the new one, never a torn file.
 *
 * Saves are coalesced: at most one write per `minIntervalMs` (an SD card
 * wears out under a rewrite per ack). A value a little behind costs only a
 * few batches sent again after a crash, which the gateway recognises by seq.
 */
export class AckedSeqFile {
  private readonly path: string;
  private readonly log: Logger;
  private saved = 0;
  private wanted = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private lastWrite = 0;
  private readonly minIntervalMs: number;

  constructor(
    private readonly dataDir: string,
    private readonly node: string,
    options: { minIntervalMs?: number; logger?: Logger } = {},
  ) {
    this.path = join(dataDir, ACKED_FILE);
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.log = (options.logger ?? silentLogger).child({ module: "sync" });
  }

  /** The stored seq; 0 (send everything again) when the file is missing or unreadable. */
  async load(): Promise<number> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw error;
    }
    let parsed: z.ZodSafeParseResult<z.infer<typeof AckedFileSchema>>;
    try {
      parsed = AckedFileSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = AckedFileSchema.safeParse(undefined);
    }
    if (!parsed.success || parsed.data.node !== this.node) {
      this.log.warn(
        { file: this.path },
        "the acknowledged-seq file is unreadable or belongs to another node; the ledger will be sent again from seq 1 (the gateway drops what it already has)",
      );
      return 0;
    }
    this.saved = parsed.data.seq;
    this.wanted = parsed.data.seq;
    return parsed.data.seq;
  }

  /** Asks for `seq` to be stored; written soon, coalesced with later calls. */
  save(seq: number): void {
    this.wanted = seq;
    if (this.timer || this.writing) return;
    const wait = Math.max(0, this.lastWrite + this.minIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, wait);
  }

  /** Writes the latest value now, and waits for it to be durable. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    if (this.wanted !== this.saved) {
      this.kick();
      await this.writing;
    }
  }

  /** Flushes, and stops retrying a write that keeps failing. */
  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private kick(): void {
    if (this.writing || this.wanted === this.saved) return;
    const seq = this.wanted;
    this.writing = this.write(seq)
      .then(() => {
        this.saved = seq;
      })
      .catch((error: unknown) => {
        this.log.error(
          { err: error, file: this.path },
          "cannot store the acknowledged seq; after a restart the node resends more than needed",
        );
      })
      .finally(() => {
        this.writing = undefined;
        this.lastWrite = Date.now();
        if (this.wanted !== this.saved) this.save(this.wanted);
      });
  }

  private async write(seq: number): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    const tmp = `${this.path}.tmp`;
    const file = await open(tmp, "w");
    try {
      await file.writeFile(`${JSON.stringify({ node: this.node, seq })}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, this.path);
    await fsyncDirectory(this.dataDir);
  }
}
