import {
  type ChainIdentity,
  type Logger,
  parseTopic,
  signGatewayPayload,
  silentLogger,
} from "@comptoir/contracts";
import type { BusHandler, BusPublishOptions, GatewayBus } from "./bus.js";

/**
 * The bus as the gateway's publishers see it: every message it sends to
 * nodes (`node/<id>/ack`, `node/<id>/cmd`, `credit/<customer>`, `catalog`,
 * `orders/<order>`)
 * leaves signed with the gateway's Ed25519 key, bound to its topic
 * (contracts `signGatewayPayload`), so that a node can tell it from one
 * published by anyone else on the broker. One place signs them all: a new
 * publisher cannot forget to. Other topics and empty payloads (a retained
 * message cleared) pass as they are.
 */
export class SigningBus implements GatewayBus {
  private readonly log: Logger;

  constructor(
    private readonly inner: GatewayBus,
    private readonly identity: ChainIdentity,
    options: { logger?: Logger } = {},
  ) {
    this.log = (options.logger ?? silentLogger).child({ module: "bus:signing" });
  }

  subscribe(filter: string, handler: BusHandler): Promise<void> {
    return this.inner.subscribe(filter, handler);
  }

  publish(topic: string, payload: string | Buffer, options: BusPublishOptions): Promise<void> {
    if (payload.length === 0 || !toNodes(topic)) return this.inner.publish(topic, payload, options);
    let message: unknown;
    try {
      message = JSON.parse(payload.toString());
    } catch {
      message = undefined;
    }
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      // Never sent unsigned: a node would ignore it anyway.
      this.log.error({ topic }, "not a JSON object, so not signed and not published");
      return Promise.reject(
        new TypeError(`cannot sign the message for ${topic}: not a JSON object`),
      );
    }
    const signed = signGatewayPayload(this.identity, topic, message as Record<string, unknown>);
    return this.inner.publish(topic, signed, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function toNodes(topic: string): boolean {
  const kind = parseTopic(topic)?.kind;
  return (
    kind === "ack" ||
    kind === "cmd" ||
    kind === "credit" ||
    kind === "catalog" ||
    kind === "order" ||
    kind === "locale"
  );
}
