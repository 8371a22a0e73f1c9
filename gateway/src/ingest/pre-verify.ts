import { Worker } from "node:worker_threads";
import { type Logger, silentLogger } from "@comptoir/contracts";
import { workerEntry } from "@comptoir/contracts/worker-entry";
import type { IngestOutcome } from "./ingest.js";
import type { BatchHandler } from "./mqtt-ingest.js";
import type { SegmentVerdict } from "./segment-verdict.js";
import type { SegmentJob, SegmentReply } from "./segment-worker.js";

/** What PreVerify hands batches on to: GroupCommit, which takes a verdict with each. */
export interface VerdictHandler {
  handleBatch(
    node: string,
    payload: string | Buffer,
    verdict?: SegmentVerdict,
  ): IngestOutcome | Promise<IngestOutcome>;
}

/**
 * A batch this large starts the worker: a catch-up or a busy site. Below it
 * (a shelf's few movements a second) verifying in-thread costs less than a
 * worker's start, which from the sources takes about a second of CPU.
 */
export const DEFAULT_START_BYTES = 64 * 1024;

/**
 * Verification on the other core. A node's batch is parsed, its signature
 * and every entry's hash and links checked in a worker thread
 * (segment-verdict.ts) while this thread stores the batches before it; what
 * reaches ingest here is the payload with the worker's verdict, and storing
 * it is then a comparison with the stored head. Ingest and HTTP share this
 * thread, so what moves to the worker is also time requests no longer wait.
 *
 * The worker starts with the first large batch (the batches until it is
 * ready are verified in-thread, as are all of them if it fails). Batches go
 * on to ingest in the order they came, whichever way they were verified,
 * since the worker answers in turn and the in-thread way is only taken
 * before the worker is ready or after it is gone.
 */
export class PreVerify implements BatchHandler {
  private worker: Worker | undefined;
  private state: "idle" | "starting" | "ready" | "gone" = "idle";
  private readonly pending = new Map<number, (verdict: SegmentVerdict | undefined) => void>();
  private nextId = 1;
  private readonly log: Logger;
  private readonly startBytes: number;
  /** Settles with the worker's start: true once it is ready, false if it never gets there. */
  private started: Promise<boolean> = Promise.resolve(false);
  private settleStart: (ready: boolean) => void = () => undefined;

  constructor(
    private readonly next: VerdictHandler,
    private readonly keyOf: (node: string) => string | undefined,
    options: { startBytes?: number; logger?: Logger } = {},
  ) {
    this.startBytes = options.startBytes ?? DEFAULT_START_BYTES;
    this.log = (options.logger ?? silentLogger).child({ module: "ingest" });
  }

  handleBatch(node: string, payload: string | Buffer): IngestOutcome | Promise<IngestOutcome> {
    const key = this.keyOf(node);
    if (this.state !== "ready" || key === undefined) {
      if (this.state === "idle" && payload.length >= this.startBytes) this.start();
      return this.next.handleBatch(node, payload);
    }
    return this.verdictOf({ id: this.nextId++, node, payload, key }).then((verdict) =>
      this.next.handleBatch(node, payload, verdict),
    );
  }

  /** Resolves once the worker has started, or could not: for callers that measure. */
  ready(): Promise<boolean> {
    if (this.state === "idle") this.start();
    return this.started;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.gone();
    await worker?.terminate();
  }

  private verdictOf(job: SegmentJob): Promise<SegmentVerdict | undefined> {
    return new Promise((resolve) => {
      this.pending.set(job.id, resolve);
      // Copied, never transferred: a Buffer from the broker may share its memory with others.
      this.worker?.postMessage(job);
    });
  }

  private start(): void {
    this.state = "starting";
    this.started = new Promise((resolve) => {
      this.settleStart = resolve;
    });
    const worker = new Worker(workerEntry(import.meta.url, "segment-worker"));
    this.worker = worker;
    // Never what keeps the process alive: close() ends it, and so does the process.
    worker.unref();
    worker.on("message", (message: SegmentReply | "ready") => {
      if (message === "ready") {
        if (this.state === "starting") this.state = "ready";
        this.settleStart(this.state === "ready");
        return;
      }
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message.verdict);
    });
    worker.once("error", (error) => {
      this.log.warn({ err: error }, "batch verification worker failed; verifying in-thread");
      this.gone();
    });
    worker.once("exit", () => this.gone());
  }

  /** No worker any more: what it still had is verified in-thread, in order. */
  private gone(): void {
    this.state = "gone";
    this.settleStart(false);
    this.worker = undefined;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const resolve of waiting) resolve(undefined);
  }
}
