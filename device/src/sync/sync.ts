import type { KeyObject } from "node:crypto";
import { EventEmitter } from "node:events";
import { Socket } from "node:net";
import {
  type Catalog,
  type ChainIdentity,
  type ChainPoint,
  type Clock,
  type CreditSnapshot,
  type Logger,
  type NodeCommand,
  type OrderStateMessage,
  type ParsedTopic,
  parseJsonPayload,
  parsePublicKey,
  parseTopic,
  type SiteFormat,
  type SiteTopics,
  silentLogger,
  siteTopics,
  systemClock,
  verifyGatewayPayload,
} from "@comptoir/contracts";
import { connect, type IClientOptions, type MqttClient } from "mqtt";
import { AckedSeqFile } from "./acked-file.js";
import { readAck, readCommand } from "./inbound.js";
import { clientOptionsFromConfig, type MqttClientConfig, requireGatewayKey } from "./options.js";
import { LedgerPublisher } from "./publisher.js";
import { readCatalog, readCreditSnapshot, readOrderState, readSiteFormat } from "./site-inbound.js";
import { lastWill, offlineStatus, onlineStatus, type ReaderStatus } from "./status.js";
import { ClearableStore } from "./store.js";

/** What the sync needs of the ledger (a `Ledger` fits). */
export interface SyncLedger {
  readonly durable: ChainPoint;
}

export interface LedgerSyncOptions {
  node: string;
  /** The node's Ed25519 identity (the one that signs its checkpoints): it signs every batch. */
  identity: ChainIdentity;
  site: string;
  /** The software version the status reports. */
  version: string;
  mqtt: MqttClientConfig;
  ledger: SyncLedger;
  /** The ledger's directory (the sync reads the stored lines itself). */
  ledgerDir: string;
  /** The node's data directory, where the acknowledged seq is kept. */
  dataDir: string;
  /** The readers' states, for the status message. */
  readers: () => ReaderStatus[];
  clock?: Clock;
  logger?: Logger;
  /** How often to look for newly durable entries without being woken, 50 ms by default. */
  pollMs?: number;
  /** How often to publish the status again, 60 s by default. */
  statusEveryMs?: number;
  maxBatchBytes?: number;
  maxBatchEntries?: number;
  windowBatches?: number;
  ackTimeoutMs?: number;
  /** How long a few new entries wait for more after a batch left (LedgerPublisher's lingerMs). */
  lingerMs?: number;
  /**
   * Coalesces writes of the acknowledged seq, 10 s by default: each write is
   * a new file, fsynced, renamed, its directory fsynced, so once a second it
   * alone was about 350 MB a day on the card (bench wear); after a crash the
   * node re-sends at most 10 s of batches, which the gateway drops by seq.
   */
  persistEveryMs?: number;
  /** mqtt.js options laid over those built from the config (keepalive, reconnectPeriod…). */
  clientOptions?: Partial<IClientOptions>;
  /** Counter nodes: also follow the retained `credit/+` snapshots (every node follows the `catalog`). */
  credit?: boolean;
}

export interface LedgerSyncEvents {
  connected: [];
  disconnected: [];
  /** The gateway acknowledged (stored) everything up to this seq. */
  acked: [seq: number];
  /** A command for the rest of the node (reload-config, readers, dock-order); resend is handled here. */
  command: [command: NodeCommand];
  /**
   * A message on the ack, cmd, orders, catalog (or, with `credit`, credit) topics was refused and
   * ignored: not valid, or not signed by the gateway key (`mqtt.gatewayKey`).
   */
  refused: [topic: string, problem: string];
  /** With `credit`: a valid credit snapshot arrived (retained ones on every connect). */
  credit: [snapshot: CreditSnapshot];
  /** A valid catalog arrived: a counter prices from it, every node's pages name products from it. */
  catalog: [catalog: Catalog];
  /** A valid order state arrived (retained ones on every connect): the dock checks orders with it. */
  order: [state: OrderStateMessage];
  /** The gateway's site locale, currency and zone arrived (retained: on every connect). */
  locale: [format: SiteFormat];
}

/**
 * The node's side of ledger sync over MQTT: replicates the ledger to the
 * gateway from its acknowledged seq, follows acks and resend requests,
 * keeps a retained status with an `offline` last will, and stores the
 * acknowledged seq across restarts.
 */
export class LedgerSync extends EventEmitter<LedgerSyncEvents> {
  private readonly topics: SiteTopics;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly ackedFile: AckedSeqFile;
  private receivedAck: { seq: number; message: unknown } | undefined;
  private readonly store = new ClearableStore();
  private client!: MqttClient;
  private publisher!: LedgerPublisher;
  private poll: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private lastSeenHead = -1;
  /** The gateway's public key (`mqtt.gatewayKey`): what it sends must carry its signature. */
  private gatewayKey: KeyObject | undefined;
  private brokenAt: ChainBroken | undefined;
  private closing = false;
  /** The last connection error logged at warn, so that an outage is not logged every retry. */
  private lastError: string | undefined;

  private constructor(private readonly options: LedgerSyncOptions) {
    super();
    this.topics = siteTopics(options.site);
    this.log = (options.logger ?? silentLogger).child({ module: "sync", node: options.node });
    this.clock = options.clock ?? systemClock;
    this.ackedFile = new AckedSeqFile(options.dataDir, options.node, {
      minIntervalMs: options.persistEveryMs ?? 10_000,
      logger: options.logger ?? silentLogger,
    });
  }

  /** Loads the acknowledged seq, connects, and starts syncing once connected. */
  static async start(options: LedgerSyncOptions): Promise<LedgerSync> {
    const sync = new LedgerSync(options);
    await sync.begin();
    return sync;
  }

  get ackedSeq(): number {
    return this.publisher.ackedSeq;
  }

  /**
   * The latest ack as it was received (signature and all), and its seq:
   * retention keeps it in its signed evidence. Undefined until one arrives
   * after start.
   */
  get lastAck(): { seq: number; message: unknown } | undefined {
    return this.receivedAck;
  }

  private keepAck(seq: number, message: unknown): void {
    if (this.receivedAck && seq < this.receivedAck.seq) return;
    this.receivedAck = { seq, message };
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /**
   * Set once the gateway said it stores nothing of this node's chain from a seq on (a
   * `broken` command): the node reports it on /health and its pages until restarted.
   */
  get broken(): ChainBroken | undefined {
    return this.brokenAt;
  }

  /** The underlying client, for tests and diagnostics. */
  get mqtt(): MqttClient {
    return this.client;
  }

  /** Call after appends: sends newly durable entries without waiting for the poll. */
  wake(): void {
    this.publisher.wake();
  }

  /** Publishes the status now (e.g. when a reader's state changed). */
  publishStatus(): void {
    if (!this.client.connected || this.closing) return;
    let payload: string;
    try {
      payload = onlineStatus(
        {
          node: this.options.node,
          version: this.options.version,
          headSeq: this.options.ledger.durable.seq,
          ackedSeq: this.publisher.ackedSeq,
          readers: this.options.readers(),
        },
        this.clock,
      );
    } catch (error) {
      this.log.error({ err: error }, "cannot build the node status; not published");
      return;
    }
    this.client.publish(this.topics.nodeStatus(this.options.node), payload, {
      qos: 1,
      retain: true,
    });
  }

  /** Publishes `offline` (retained), stores the acknowledged seq and disconnects. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.poll);
    clearInterval(this.statusTimer);
    await this.publisher.close();
    if (this.client.connected) {
      try {
        await this.client.publishAsync(
          this.topics.nodeStatus(this.options.node),
          offlineStatus(this.options.node),
          { qos: 1, retain: true },
        );
      } catch (error) {
        this.log.warn({ err: error }, "could not publish the offline status before closing");
      }
    }
    // Unacknowledged batches need no flush: the ledger is the outbox and the
    // next start resends from the acknowledged seq. Waiting for them while
    // disconnected would hang.
    this.store.clear();
    await this.client.endAsync(!this.client.connected);
    await this.ackedFile.close();
    this.log.info({ acked: this.publisher.ackedSeq }, "sync closed");
  }

  private async begin(): Promise<void> {
    const { node } = this.options;
    const statusTopic = this.topics.nodeStatus(node);
    requireGatewayKey(this.options.mqtt);
    const clientOptions = await clientOptionsFromConfig(this.options.mqtt, {
      node,
      will: lastWill(statusTopic, node),
      logger: this.log,
    });
    this.gatewayKey = gatewayKeyFrom(this.options.mqtt.gatewayKey);
    if (!this.gatewayKey)
      this.log.warn(
        "mqtt.gatewayKey is not set: acks, commands, order states, credit and catalog are taken without checking that the gateway sent them — set it to the gateway key the enrollment answer gave",
      );
    const acked = await this.ackedFile.load();
    this.client = connect(this.options.mqtt.url, {
      ...clientOptions,
      ...this.options.clientOptions,
      outgoingStore: this.store,
    });
    this.publisher = new LedgerPublisher(this.client, {
      node,
      identity: this.options.identity,
      topic: this.topics.nodeLedger(node),
      dir: this.options.ledgerDir,
      durable: () => this.options.ledger.durable,
      logger: this.log,
      maxBatchBytes: this.options.maxBatchBytes,
      maxBatchEntries: this.options.maxBatchEntries,
      windowBatches: this.options.windowBatches,
      ackTimeoutMs: this.options.ackTimeoutMs,
      lingerMs: this.options.lingerMs,
      onAcked: (seq) => {
        this.ackedFile.save(seq);
        this.emit("acked", seq);
      },
    });
    this.publisher.resumeFrom(acked);
    this.log.info({ url: this.options.mqtt.url, acked }, "sync starting");

    this.client.on("connect", () => void this.connected_());
    this.client.on("close", () => this.disconnected_());
    this.client.on("message", (topic, payload) => this.message(topic, payload));
    this.client.on("error", (error) => {
      // Said once per outage; the retries every reconnectPeriod only at debug.
      const code = (error as NodeJS.ErrnoException).code ?? error.message;
      if (code === this.lastError) {
        this.log.debug({ err: error }, "MQTT connection error; reconnecting");
        return;
      }
      this.lastError = code;
      this.log.warn(
        { err: error },
        "MQTT connection error; reconnecting (said again only when it changes)",
      );
    });
    this.poll = setInterval(() => {
      const head = this.options.ledger.durable.seq;
      if (head !== this.lastSeenHead) {
        this.lastSeenHead = head;
        this.publisher.wake();
      }
    }, this.options.pollMs ?? 50);
    this.statusTimer = setInterval(
      () => this.publishStatus(),
      this.options.statusEveryMs ?? 60_000,
    );
  }

  private async connected_(): Promise<void> {
    const stream = this.client.stream;
    if (stream instanceof Socket) stream.setNoDelay(true);
    const { node } = this.options;
    try {
      const topics = [this.topics.nodeAck(node), this.topics.nodeCmd(node), this.topics.catalog()];
      if (this.options.credit) topics.push(this.topics.allCredit());
      await this.client.subscribeAsync(topics, { qos: 1 });
    } catch (error) {
      this.log.warn({ err: error }, "subscribing to the node's topics failed; reconnecting");
      return;
    }
    if (!this.client.connected || this.closing) return;
    this.lastError = undefined;
    this.log.info({ acked: this.publisher.ackedSeq }, "connected to the broker");
    this.publishStatus();
    this.publisher.connectionUp();
    this.emit("connected");
    await this.followOrders();
    await this.followSite();
  }

  /**
   * Every node formats money and dates as the gateway says (`locale`). Asked
   * apart, like the orders: a broker whose ACL predates the topic refuses it,
   * and the node keeps its own formats and syncs its ledger all the same.
   */
  private async followSite(): Promise<void> {
    const topic = this.topics.locale();
    try {
      await this.client.subscribeAsync(topic, { qos: 1 });
    } catch (error) {
      if (this.closing || !this.client.connected) return;
      this.log.warn(
        { err: error, topic },
        "the broker refused the site's locale: pages use this node's own (node.locale) — allow nodes to read this topic in the broker's ACL (see the gateway's README)",
      );
    }
  }

  /**
   * Every node follows the orders' states: any node may have a dock door
   * (issue 15). Asked apart from the node's own topics: a broker whose ACL
   * predates them refuses this one, and the node must still sync its ledger.
   */
  private async followOrders(): Promise<void> {
    const filter = this.topics.allOrders();
    try {
      await this.client.subscribeAsync(filter, { qos: 1 });
    } catch (error) {
      if (this.closing || !this.client.connected) return;
      this.log.warn(
        { err: error, filter },
        "the broker refused the orders' states: the dock decides from the states it kept — allow nodes to read this filter in the broker's ACL (see the gateway's README)",
      );
    }
  }

  private disconnected_(): void {
    this.store.clear();
    this.dropOrphanedPublishes();
    this.publisher.connectionDown();
    if (!this.closing) {
      this.log.info({ acked: this.publisher.ackedSeq }, "disconnected from the broker");
      this.emit("disconnected");
    }
  }

  /**
   * mqtt.js keeps each QoS 1 publish the broker had not confirmed, to replay
   * it from the store on reconnect; the store was just cleared, so they would
   * never be confirmed, and a graceful `end()` waits for every one of them.
   * Their callbacks get an error now; the ledger sends the entries again.
   */
  private dropOrphanedPublishes(): void {
    for (const id of Object.keys(this.client.outgoing)) {
      this.client.removeOutgoingMessage(Number(id));
    }
  }

  private message(topic: string, received: Buffer): void {
    const checked = this.fromGateway(topic, received);
    if (!checked) return;
    const { payload } = checked;
    const { node } = this.options;
    const durable = this.options.ledger.durable.seq;
    if (topic === this.topics.nodeAck(node)) {
      const read = readAck(payload, durable);
      if (!read.ok) this.refuse(topic, read.problem, payload);
      else if (read.value.type === "ack") {
        this.keepAck(read.value.seq, checked.received);
        this.publisher.acknowledge(read.value.seq);
      } else this.publisher.resend(read.value.from);
    } else if (topic === this.topics.nodeCmd(node)) {
      const read = readCommand(payload, durable);
      if (!read.ok) this.refuse(topic, read.problem, payload);
      else if (read.value.type === "resend") this.publisher.resend(read.value.from);
      else {
        if (read.value.type === "broken") this.markBroken(read.value);
        this.emit("command", read.value);
      }
    } else {
      const parsed = parseTopic(topic);
      if (parsed?.kind === "order") this.orderMessage(topic, parsed, payload);
      else if (parsed?.kind === "locale") this.siteMessage(topic, parsed, payload);
      else if (parsed?.kind === "catalog" || this.options.credit)
        this.creditMessage(topic, parsed, payload);
    }
  }

  /** `orders/<order>`: validated here; a bad one is logged and changes nothing. */
  private orderMessage(
    topic: string,
    parsed: Extract<ParsedTopic, { kind: "order" }>,
    payload: Buffer,
  ): void {
    // An empty retained payload clears the topic at the broker: the node keeps what it knew.
    if (parsed.site !== this.options.site || payload.length === 0) return;
    const read = readOrderState(payload, parsed.order);
    if (read.ok) this.emit("order", read.value);
    else this.refuse(topic, read.problem, payload);
  }

  /** `locale`: validated here; a bad one is logged and the node keeps the formats it has. */
  private siteMessage(topic: string, parsed: ParsedTopic, payload: Buffer): void {
    if (parsed.site !== this.options.site || payload.length === 0) return;
    const read = readSiteFormat(payload);
    if (read.ok) this.emit("locale", read.value);
    else this.refuse(topic, read.problem, payload);
  }

  /** `credit/<customer>` and `catalog`: validated here; a bad one is logged and changes nothing. */
  private creditMessage(topic: string, parsed: ParsedTopic | undefined, payload: Buffer): void {
    if (parsed?.kind === "credit") {
      // An empty retained payload clears the topic at the broker: nothing to decide from.
      if (payload.length === 0) return;
      const read = readCreditSnapshot(payload, parsed.customer);
      if (read.ok) this.emit("credit", read.value);
      else this.refuse(topic, read.problem, payload);
    } else if (parsed?.kind === "catalog") {
      if (payload.length === 0) return;
      const read = readCatalog(payload);
      if (read.ok) this.emit("catalog", read.value);
      else this.refuse(topic, read.problem, payload);
    }
  }

  /**
   * The message without its signature (`payload`), and as it arrived, parsed (`received`, kept for
   * retention evidence), once the signature is checked against the gateway
   * key for this very topic; undefined (logged, `refused`) when it is unsigned or badly
   * signed. Without a configured key, the signature is only removed. An empty payload (a
   * retained message cleared) passes: it decides nothing.
   */
  private fromGateway(
    topic: string,
    payload: Buffer,
  ): { payload: Buffer; received: unknown } | undefined {
    if (payload.length === 0) return { payload, received: undefined };
    const read = parseJsonPayload(payload);
    if (!read.ok) {
      this.refuse(topic, read.problem, payload);
      return undefined;
    }
    const value = read.value;
    if (this.gatewayKey) {
      const read = verifyGatewayPayload(topic, value, this.gatewayKey);
      if (!read.ok) {
        this.refuse(topic, `not from the gateway: ${read.problem}`, payload);
        return undefined;
      }
      return { payload: Buffer.from(JSON.stringify(read.value)), received: value };
    }
    if (typeof value === "object" && value !== null && "sig" in value) {
      const { sig: _unchecked, ...rest } = value as Record<string, unknown>;
      return { payload: Buffer.from(JSON.stringify(rest)), received: value };
    }
    return { payload, received: value };
  }

  private markBroken(command: ChainBroken): void {
    const same = this.brokenAt?.seq === command.seq && this.brokenAt.scope === command.scope;
    this.brokenAt = { seq: command.seq, reason: command.reason, scope: command.scope };
    if (same) return;
    this.log.error(
      { seq: command.seq, reason: command.reason, scope: command.scope },
      command.scope === "local"
        ? "ledger broken: this node's stored copy no longer matches what the gateway holds at this seq — run comptoir audit verify on the ledger directory"
        : "ledger broken: the gateway marked this node's chain broken at this seq and stores nothing after it",
    );
  }

  private refuse(topic: string, problem: string, payload: Buffer): void {
    this.log.warn(
      { topic, problem, bytes: payload.length, head: payload.subarray(0, 120).toString("utf8") },
      "ignored a message from the gateway",
    );
    this.emit("refused", topic, problem);
  }
}

/** What the gateway said of this node's chain: broken from `seq` on, and why. */
export interface ChainBroken {
  seq: number;
  reason: string;
  /** "chain": the gateway marked the chain broken; "local": this node's copy is damaged. */
  scope: "chain" | "local";
}

function gatewayKeyFrom(text: string | undefined): KeyObject | undefined {
  if (text === undefined) return undefined;
  try {
    return parsePublicKey(text);
  } catch (error) {
    throw new Error(
      `mqtt.gatewayKey is not an Ed25519 public key (${(error as Error).message}): give the 64 hex digits or PEM block the enrollment answer names as gateway.publicKey`,
    );
  }
}
