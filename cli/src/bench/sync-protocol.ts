import { Worker } from "node:worker_threads";
import { z } from "zod";

/** What the sync benchmark's gateway thread is started with. */
export const GatewaySetupSchema = z.object({
  site: z.string(),
  node: z.string(),
  mode: z.enum(["verify", "count"]),
  /** The node's public key (SPKI PEM), for "verify". */
  publicKeyPem: z.string(),
});
export type GatewaySetup = z.infer<typeof GatewaySetupSchema>;

export const GatewayRequestSchema = z.discriminatedUnion("type", [
  /** Reply once the verifying subscriber stored (and acked) up to `seq`, or refused the chain. */
  z.object({ type: z.literal("until-seq"), seq: z.number().int() }),
  /** Reply once the counting subscriber received `count` messages. */
  z.object({ type: z.literal("until-count"), count: z.number().int() }),
  z.object({ type: z.literal("stop") }),
]);
export type GatewayRequest = z.infer<typeof GatewayRequestSchema>;

export const GatewayReplySchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), url: z.string() }),
  z.object({
    type: z.literal("reached"),
    seq: z.number(),
    /** Batches verified ("verify"), or messages counted ("count"). */
    batches: z.number(),
    /** Bytes of ledger payload the broker routed. */
    bytes: z.number(),
    failure: z.string().optional(),
  }),
  z.object({ type: z.literal("stopped") }),
]);
export type GatewayReply = z.infer<typeof GatewayReplySchema>;
type Reached = Extract<GatewayReply, { type: "reached" }>;

/**
 * A worker entry that registers tsx, then imports the TypeScript file. On
 * Node 20, `execArgv: ["--import", "tsx"]` leaves the worker without the
 * hooks when the parent registered tsx through its API (as bin/comptoir.mjs
 * does): the worker then fails on "Unknown file extension .ts".
 */
function tsxEntry(file: URL): URL {
  const tsx = import.meta.resolve("tsx/esm/api");
  const code = `import { register } from ${JSON.stringify(tsx)};
register();
await import(${JSON.stringify(file.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/**
 * The worker's entry: from source, sync-gateway.ts through tsx; from the
 * bundle, sync-gateway.mjs, which scripts/build.mjs writes beside every chunk.
 */
function gatewayEntry(): URL {
  if (import.meta.url.endsWith(".ts"))
    return tsxEntry(new URL("./sync-gateway.ts", import.meta.url));
  return new URL("./sync-gateway.mjs", import.meta.url);
}

/**
 * The broker and subscriber of the sync benchmark in a worker thread
 * (sync-gateway.ts), so that they do not share the node's event loop, as a
 * real gateway does not.
 */
export class SyncGatewayThread {
  private pending: ((reply: GatewayReply) => void) | undefined;
  private failed: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly url: string,
  ) {
    worker.on("message", (raw: unknown) => {
      const reply = GatewayReplySchema.parse(raw);
      const pending = this.pending;
      this.pending = undefined;
      pending?.(reply);
    });
  }

  static async start(setup: GatewaySetup): Promise<SyncGatewayThread> {
    const worker = new Worker(gatewayEntry(), {
      workerData: setup,
    });
    const ready = await new Promise<GatewayReply>((resolve, reject) => {
      worker.once("message", (raw: unknown) => resolve(GatewayReplySchema.parse(raw)));
      worker.once("error", reject);
      worker.once("exit", (code) =>
        reject(new Error(`the sync gateway thread exited (${code}) before it was ready`)),
      );
    });
    if (ready.type !== "ready") throw new Error(`the sync gateway thread said ${ready.type} first`);
    const thread = new SyncGatewayThread(worker, ready.url);
    worker.on("error", (error) => {
      thread.failed = error;
    });
    return thread;
  }

  /** Until the verifying subscriber acknowledged `seq` (throws if it refused the chain). */
  async untilSeq(seq: number): Promise<Reached> {
    const reached = await this.ask({ type: "until-seq", seq });
    if (reached.failure) throw new Error(`the gateway refused the chain: ${reached.failure}`);
    return reached;
  }

  /** Until the counting subscriber received `count` messages. */
  untilCount(count: number): Promise<Reached> {
    return this.ask({ type: "until-count", count });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.postMessage({ type: "stop" } satisfies GatewayRequest);
    await exited;
  }

  private async ask(request: GatewayRequest): Promise<Reached> {
    if (this.failed) throw this.failed;
    const reply = await new Promise<GatewayReply>((resolve, reject) => {
      this.pending = resolve;
      this.worker.once("error", reject);
      this.worker.postMessage(request);
    });
    if (reply.type !== "reached") throw new Error(`the sync gateway thread said ${reply.type}`);
    return reply;
  }
}
