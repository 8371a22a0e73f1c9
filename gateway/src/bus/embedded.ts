import { type Logger, silentLogger } from "@comptoir/contracts";
import type { Aedes, AedesPublishPacket } from "aedes";
import type { BusHandler, BusPublishOptions, GatewayBus } from "./bus.js";

type Deliver = (packet: AedesPublishPacket, callback: () => void) => void;

/** The retained-message lookup of Aedes' persistence, which its typings leave untyped. */
interface RetainedLookup {
  createRetainedStreamCombi(patterns: string[]): AsyncIterable<{ topic: string; payload: unknown }>;
}

/**
 * The gateway on the embedded broker: in process through the Aedes
 * instance, no socket and no credentials. Subscribing also hands over the
 * retained messages already held, as a client subscription would.
 */
export class EmbeddedBus implements GatewayBus {
  private readonly log: Logger;
  private readonly subscriptions: { filter: string; deliver: Deliver }[] = [];
  private closed = false;

  constructor(
    private readonly aedes: Aedes,
    options: { logger?: Logger } = {},
  ) {
    this.log = (options.logger ?? silentLogger).child({ module: "bus:embedded" });
  }

  async subscribe(filter: string, handler: BusHandler): Promise<void> {
    const deliver: Deliver = (packet, callback) => {
      if (!this.closed) this.dispatch(handler, packet.topic, packet.payload, false);
      callback();
    };
    await new Promise<void>((resolve, reject) =>
      this.aedes.subscribe(filter, deliver, () =>
        this.closed ? reject(closedError()) : resolve(),
      ),
    );
    this.subscriptions.push({ filter, deliver });
    const persistence = (this.aedes as unknown as { persistence?: RetainedLookup }).persistence;
    if (persistence) {
      for await (const packet of persistence.createRetainedStreamCombi([filter])) {
        if (!this.closed) this.dispatch(handler, packet.topic, packet.payload, true);
      }
    }
  }

  publish(topic: string, payload: string | Buffer, options: BusPublishOptions): Promise<void> {
    if (this.closed || this.aedes.closed) return Promise.reject(closedError());
    return new Promise((resolve, reject) =>
      this.aedes.publish(
        {
          cmd: "publish",
          topic,
          payload: typeof payload === "string" ? Buffer.from(payload) : payload,
          qos: options.qos,
          retain: options.retain ?? false,
          dup: false,
        },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const { filter, deliver } of this.subscriptions.splice(0)) {
      if (this.aedes.closed) break;
      await new Promise<void>((resolve) => this.aedes.unsubscribe(filter, deliver, resolve));
    }
  }

  private dispatch(handler: BusHandler, topic: string, payload: unknown, retained: boolean): void {
    try {
      handler(topic, toBuffer(payload), { retained });
    } catch (error) {
      this.log.error({ err: error, topic }, "message handler failed; message dropped");
    }
  }
}

function toBuffer(payload: unknown): Buffer {
  if (Buffer.isBuffer(payload)) return payload;
  if (typeof payload === "string") return Buffer.from(payload);
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  return Buffer.alloc(0);
}

function closedError(): Error {
  return new Error("the MQTT bus is closed");
}
