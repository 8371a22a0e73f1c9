import type { KeyObject } from "node:crypto";
import {
  batchSignatureValid,
  type ChainIdentity,
  ChainVerifier,
  GENESIS_PREV,
  type LedgerEntry,
  type NodeStatus,
  type SiteTopics,
  signGatewayPayload,
  siteTopics,
  type VerifyBroken,
} from "@comptoir/contracts";
import { connectAsync, type MqttClient } from "mqtt";
import { readStatus } from "../status.js";

export interface VerifyingGatewayOptions {
  url: string;
  site: string;
  node: string;
  publicKey?: KeyObject;
  /** The gateway's key: when given, its own acks leave signed, as a real gateway's do. */
  gatewayIdentity?: ChainIdentity;
  /** Keep every stored seq in order (tests); off for long benchmarks. */
  keepSeqs?: boolean;
  /** Return false to drop a batch unseen: as if it were lost on the way. */
  accept?: (first: number, last: number) => boolean;
}

/**
 * What the gateway does with a node's ledger, reduced to what sync tests
 * need: verify each entry with `ChainVerifier`, store each seq once and in
 * order, drop duplicates, ask to resend on a gap, and acknowledge the
 * highest contiguous seq after each batch. It also records the node's
 * status messages.
 */
export class VerifyingGateway {
  readonly seqs: number[] = [];
  readonly statuses: NodeStatus[] = [];
  head = { seq: 0, hash: GENESIS_PREV };
  stored = 0;
  duplicates = 0;
  batches = 0;
  resendsAsked = 0;
  failure: VerifyBroken | undefined;
  private readonly verifier: ChainVerifier;
  private readonly waiters: { test: () => boolean; resolve: () => void }[] = [];
  private readonly topics: SiteTopics;
  private askedFrom = 0;

  private constructor(
    readonly client: MqttClient,
    private readonly options: VerifyingGatewayOptions,
  ) {
    this.topics = siteTopics(options.site);
    this.verifier = new ChainVerifier({
      chain: options.node,
      ...(options.publicKey ? { publicKey: options.publicKey } : {}),
    });
  }

  static async start(options: VerifyingGatewayOptions): Promise<VerifyingGateway> {
    const client = await connectAsync(options.url, {
      clientId: `gateway-${options.node}-${process.pid}-${Math.random().toString(36).slice(2)}`,
      reconnectPeriod: 100,
      protocolVersion: 4,
    });
    const gateway = new VerifyingGateway(client, options);
    const topics = siteTopics(options.site);
    client.on("message", (topic, payload) => gateway.message(topic, payload));
    client.on("connect", () => {
      void client.subscribe([topics.nodeLedger(options.node), topics.nodeStatus(options.node)], {
        qos: 1,
      });
    });
    client.on("error", () => {});
    await client.subscribeAsync(
      [topics.nodeLedger(options.node), topics.nodeStatus(options.node)],
      { qos: 1 },
    );
    return gateway;
  }

  /** Resolves once `test` holds (checked after every message). */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Publishes a raw payload on the node's ack topic. */
  sendAck(payload: string | Buffer): Promise<unknown> {
    return this.client.publishAsync(this.topics.nodeAck(this.options.node), payload, { qos: 1 });
  }

  sendCommand(payload: string | Buffer): Promise<unknown> {
    return this.client.publishAsync(this.topics.nodeCmd(this.options.node), payload, { qos: 1 });
  }

  /** Publishes `message` on `topic` signed with `identity` (the gateway's, or a forger's). */
  sendSigned(
    topic: string,
    message: Record<string, unknown>,
    identity = this.options.gatewayIdentity,
    options: { retain?: boolean } = {},
  ): Promise<unknown> {
    if (!identity) throw new Error("no identity to sign with");
    return this.client.publishAsync(topic, signGatewayPayload(identity, topic, message), {
      qos: 1,
      ...options,
    });
  }

  /** An ack or resend request, signed when the gateway has a key. */
  private reply(message: Record<string, unknown>): void {
    const topic = this.topics.nodeAck(this.options.node);
    void (this.options.gatewayIdentity
      ? this.sendSigned(topic, message)
      : this.sendAck(JSON.stringify(message)));
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }

  private message(topic: string, payload: Buffer): void {
    if (topic === this.topics.nodeStatus(this.options.node)) {
      const status = readStatus(payload);
      if (status) this.statuses.push(status);
    } else {
      this.batch(payload);
    }
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i] as { test: () => boolean; resolve: () => void };
      if (waiter.test()) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  private batch(payload: Buffer): void {
    const { entries, sig } = JSON.parse(payload.toString("utf8")) as {
      entries: LedgerEntry[];
      sig?: string;
    };
    const first = entries[0]?.seq ?? 0;
    const last = entries.at(-1)?.seq ?? 0;
    if (this.options.accept && !this.options.accept(first, last)) return;
    // With the node's key, as the gateway does: the batch must carry the node's signature.
    const hash = entries.at(-1)?.hash ?? "";
    const key = this.options.publicKey;
    if (
      key &&
      !(sig && batchSignatureValid({ node: this.options.node, first, last, hash }, sig, key))
    ) {
      this.failure ??= {
        ok: false,
        seq: first,
        reason: "bad signature",
        detail: `batch seq ${first}-${last} is not signed by the node's key`,
        count: 0,
      };
      return;
    }
    this.batches++;
    for (const entry of entries) {
      if (entry.seq <= this.head.seq) {
        this.duplicates++;
        continue;
      }
      if (entry.seq > this.head.seq + 1) {
        if (this.askedFrom !== this.head.seq + 1) {
          this.askedFrom = this.head.seq + 1;
          this.resendsAsked++;
          this.reply({ type: "resend", from: this.head.seq + 1 });
        }
        return;
      }
      // An entry parsed from canonical JSON stringifies back to the same text, which
      // takes the verifier's fast path; anything else gets its full checks.
      const broken = this.verifier.push(JSON.stringify(entry));
      if (broken) {
        this.failure ??= broken;
        return;
      }
      this.head = { seq: entry.seq, hash: entry.hash };
      this.stored++;
      if (this.options.keepSeqs) this.seqs.push(entry.seq);
    }
    this.askedFrom = 0;
    this.reply({ type: "ack", seq: this.head.seq });
  }
}
