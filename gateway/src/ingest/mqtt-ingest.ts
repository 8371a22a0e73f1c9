import {
  type Ack,
  type Clock,
  type Logger,
  type NodeCommand,
  type NodeStatus,
  NodeStatusSchema,
  parseJsonPayload,
  parseTopic,
  type SiteTopics,
  silentLogger,
  siteTopics,
  systemClock,
} from "@comptoir/contracts";
import type { GatewayBus } from "../bus/bus.js";
import type { IngestOutcome } from "./ingest.js";

/**
 * What the glue needs of ingest: `Ingest` fits (one commit per batch); the gateway uses
 * `PreVerify` (verification in a worker) over `GroupCommit`, which answers once the group
 * the batch was stored in is durable.
 */
export interface BatchHandler {
  handleBatch(nodeId: string, payload: string | Buffer): IngestOutcome | Promise<IngestOutcome>;
  /** Once no batch is under way any more (a worker to end, say). */
  close?(): Promise<void>;
}

export interface NodeStatusRecord {
  status: NodeStatus;
  /** The gateway's clock when the status arrived (a node's own clock may be wrong). */
  receivedAt: string;
  /** Handed over as a retained message on subscribing: possibly old, so no clock measure. */
  retained?: boolean;
}

export interface MqttIngestOptions {
  bus: GatewayBus;
  site: string;
  ingest: BatchHandler;
  /** When given, statuses from nodes it does not know are ignored (a `Store` fits). */
  nodes?: { node(id: string): object | undefined };
  clock?: Clock;
  logger?: Logger;
  /** After each batch, with what was answered: for metrics and the live feed. */
  onOutcome?: (node: string, outcome: IngestOutcome) => void;
  onStatus?: (node: string, record: NodeStatusRecord) => void;
  /**
   * Batches of one node waiting or under way, at most; beyond, a batch is
   * dropped with a warning (the node keeps it in its ledger and sends it
   * again from its acked seq). Bounds the memory a flooding node can take.
   * Default 32.
   */
  maxQueuedBatches?: number;
}

export const DEFAULT_MAX_QUEUED_BATCHES = 32;

/**
 * The MQTT side of ingest: ledger batches from `node/+/ledger` go to
 * `Ingest.handleBatch`, and the outcome goes back on `node/<id>/ack`. One
 * node's batches are handled one at a time in arrival order; each node has
 * its own queue, so a node that fails or stalls holds up no other. The last
 * valid `node/+/status` of each node is kept for the API. Bad input is
 * logged and dropped, never thrown.
 */
export class MqttIngest {
  private readonly log: Logger;
  private readonly topics: SiteTopics;
  private readonly clock: Clock;
  private readonly queues = new Map<string, Promise<void>>();
  /** Per node, the batches received and not yet handled (see maxQueuedBatches). */
  private readonly queued = new Map<string, number>();
  private readonly lastStatus = new Map<string, NodeStatusRecord>();
  private stopped = false;

  private constructor(private readonly options: MqttIngestOptions) {
    this.log = (options.logger ?? silentLogger).child({ module: "ingest:mqtt" });
    this.topics = siteTopics(options.site);
    this.clock = options.clock ?? systemClock;
  }

  /** Subscribes and starts answering batches. */
  static async start(options: MqttIngestOptions): Promise<MqttIngest> {
    const ingest = new MqttIngest(options);
    await options.bus.subscribe(ingest.topics.allNode("status"), (topic, payload, meta) =>
      ingest.onStatus(topic, payload, meta?.retained ?? false),
    );
    await options.bus.subscribe(ingest.topics.allNode("ledger"), (topic, payload) =>
      ingest.onLedger(topic, payload),
    );
    return ingest;
  }

  /** The node's last status, as it reported it. */
  status(node: string): NodeStatusRecord | undefined {
    return this.lastStatus.get(node);
  }

  statuses(): ReadonlyMap<string, NodeStatusRecord> {
    return this.lastStatus;
  }

  /** Resolves when every batch received so far has been handled. */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all(this.queues.values());
  }

  /** Stops taking batches and waits for those under way. The bus stays open (it is not ours). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
    await this.options.ingest.close?.();
  }

  private onLedger(topic: string, payload: Buffer): void {
    const node = this.nodeOf(topic, "ledger");
    if (node === undefined || this.stopped) return;
    this.log.trace({ node, bytes: payload.length }, "ledger batch received");
    const waiting = this.queued.get(node) ?? 0;
    if (waiting >= (this.options.maxQueuedBatches ?? DEFAULT_MAX_QUEUED_BATCHES)) {
      this.log.warn(
        { node, waiting },
        "ledger batch dropped: the node is too far ahead; it sends it again",
      );
      return;
    }
    this.queued.set(node, waiting + 1);
    const previous = this.queues.get(node) ?? Promise.resolve();
    const next = previous
      .then(() => this.handle(node, payload))
      .catch((error: unknown) => {
        this.log.error({ err: error, node }, "ledger batch failed; the node will send it again");
      })
      .finally(() => {
        const left = (this.queued.get(node) ?? 1) - 1;
        if (left > 0) this.queued.set(node, left);
        else this.queued.delete(node);
      });
    this.queues.set(node, next);
    void next.finally(() => {
      if (this.queues.get(node) === next) this.queues.delete(node);
    });
  }

  private async handle(node: string, payload: Buffer): Promise<void> {
    const outcome = await this.options.ingest.handleBatch(node, payload);
    const reply = replyTo(outcome);
    if (reply) {
      // Not awaited: the node's queue must not hang on a broker that is away.
      // A reply lost this way is made good by the node sending from its acked seq again.
      this.options.bus
        .publish(this.topics.nodeAck(node), JSON.stringify(reply), { qos: 1 })
        .catch((error: unknown) => {
          this.log.warn({ err: error, node, reply }, "ack not published");
        });
    }
    const told = brokenCommand(outcome);
    if (told) {
      this.log.warn({ node, ...told }, "telling the node its chain is broken");
      this.options.bus
        .publish(this.topics.nodeCmd(node), JSON.stringify(told), { qos: 1 })
        .catch((error: unknown) => {
          this.log.warn(
            { err: error, node },
            "broken command not published; sent again on the node's next batch",
          );
        });
    }
    this.log.debug({ node, outcome }, "ledger batch handled");
    try {
      this.options.onOutcome?.(node, outcome);
    } catch (error) {
      this.log.error({ err: error, node }, "outcome listener failed");
    }
  }

  private onStatus(topic: string, payload: Buffer, retained: boolean): void {
    const node = this.nodeOf(topic, "status");
    if (node === undefined) return;
    if (this.options.nodes && this.options.nodes.node(node) === undefined) {
      this.log.warn({ node }, "status from a node that is not enrolled ignored");
      return;
    }
    if (payload.length === 0) {
      // A retained status cleared by its owner.
      this.lastStatus.delete(node);
      return;
    }
    const read = parseJsonPayload(payload);
    if (!read.ok) {
      this.log.warn({ node }, `status ignored: ${read.problem}`);
      return;
    }
    const parsed = NodeStatusSchema.safeParse(read.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.log.warn(
        { node, path: issue?.path.join("."), problem: issue?.message },
        "status ignored: not a node status",
      );
      return;
    }
    if (parsed.data.node !== node) {
      this.log.warn({ node, names: parsed.data.node }, "status ignored: it names another node");
      return;
    }
    const record: NodeStatusRecord = {
      status: parsed.data,
      receivedAt: this.clock.now().toISOString(),
      ...(retained ? { retained } : {}),
    };
    this.lastStatus.set(node, record);
    this.log.info({ node, state: parsed.data.state }, "node status");
    try {
      this.options.onStatus?.(node, record);
    } catch (error) {
      this.log.error({ err: error, node }, "status listener failed");
    }
  }

  private nodeOf(topic: string, kind: "ledger" | "status"): string | undefined {
    const parsed = parseTopic(topic);
    if (parsed?.site === this.options.site && parsed.kind === kind) return parsed.node;
    this.log.warn({ topic }, "message on an unexpected topic ignored");
    return undefined;
  }
}

/**
 * What a node whose chain the gateway cannot take is told on its `cmd` topic (issue 13,
 * items 16 and 17): when its chain is marked broken, on each batch it sends while broken
 * (a command missed while it was offline is not lost for good), and when an entry it sent
 * again no longer matches its hash. Undefined otherwise.
 */
export function brokenCommand(outcome: IngestOutcome): NodeCommand | undefined {
  const told = (at: { seq: number; reason: string }, scope: "chain" | "local"): NodeCommand => ({
    type: "broken",
    seq: at.seq,
    reason: at.reason.slice(0, 500),
    scope,
  });
  if (outcome.kind === "broken") return told(outcome, "chain");
  if (outcome.kind !== "ignored") return undefined;
  if (outcome.broken) return told(outcome.broken, "chain");
  if (outcome.corrupt) return told(outcome.corrupt, "local");
  return undefined;
}

/** What the node is told: its stored seq, or where to resend from; nothing when ignored. */
export function replyTo(outcome: IngestOutcome): Ack | undefined {
  switch (outcome.kind) {
    case "ack":
      return { type: "ack", seq: outcome.seq };
    case "resend":
      return { type: "resend", from: outcome.from, reason: outcome.reason.slice(0, 500) };
    case "broken":
      return { type: "ack", seq: outcome.ack };
    case "ignored":
      return undefined;
  }
}
