import type { Socket } from "node:net";
import { type Logger, silentLogger, stripUserinfo } from "@comptoir/contracts";
import { readPemFile } from "@comptoir/contracts/http";
import { connect, ErrorWithSubackPacket, type IClientOptions, type MqttClient } from "mqtt";
import { type BusHandler, type BusPublishOptions, type GatewayBus, topicMatches } from "./bus.js";

export interface ExternalBusOptions {
  /** mqtt://, mqtts://, ws:// or wss:// URL of the broker. */
  url: string;
  /** Stable across restarts, so that the broker keeps the session (clean session false). */
  clientId: string;
  username?: string;
  password?: string;
  /** PEM files: the CA to trust, and the gateway's client certificate and key. */
  ca?: string;
  cert?: string;
  key?: string;
  logger?: Logger;
  /** Between reconnection attempts; 2 s by default. */
  reconnectPeriodMs?: number;
}

/**
 * The gateway as a client of an external broker (Mosquitto, EMQX): QoS 1,
 * clean session false under a stable client id, so that messages published
 * while the gateway restarts wait in the broker (see gateway/README.md for
 * the broker settings that keep it from dropping them), TCP_NODELAY.
 * The first connection must succeed; after that mqtt.js reconnects by itself
 * and the subscriptions are made again.
 */
export async function connectExternalBus(options: ExternalBusOptions): Promise<ExternalBus> {
  const log = (options.logger ?? silentLogger).child({ module: "bus:external" });
  const clientOptions: IClientOptions = {
    clientId: options.clientId,
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: options.reconnectPeriodMs ?? 2000,
    connectTimeout: 10_000,
    keepalive: 30,
    queueQoSZero: false,
    resubscribe: true,
  };
  if (options.username !== undefined) clientOptions.username = options.username;
  if (options.password !== undefined) clientOptions.password = options.password;
  if (options.ca) clientOptions.ca = await readPemFile(options.ca, "mqtt.ca", "gateway");
  if (options.cert) clientOptions.cert = await readPemFile(options.cert, "mqtt.cert", "gateway");
  if (options.key) clientOptions.key = await readPemFile(options.key, "mqtt.key", "gateway");

  const client = connect(options.url, clientOptions);
  client.on("connect", () => {
    (client.stream as Partial<Socket>).setNoDelay?.(true);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const onConnect = () => {
        client.off("error", onError);
        resolve();
      };
      const onError = (error: Error) => {
        client.off("connect", onConnect);
        reject(error);
      };
      client.once("connect", onConnect);
      client.once("error", onError);
    });
  } catch (error) {
    client.end(true);
    throw new Error(
      `cannot connect to the MQTT broker at ${stripUserinfo(options.url)}: ${stripUserinfo((error as Error).message)} — check mqtt.url, mqtt.username and mqtt.password, and that the broker is running (or remove mqtt.url to use the embedded broker)`,
    );
  }
  log.info(
    { url: stripUserinfo(options.url), clientId: options.clientId },
    "connected to the MQTT broker",
  );
  client.on("reconnect", () => log.debug("reconnecting to the MQTT broker"));
  client.on("offline", () => log.warn("MQTT broker unreachable"));
  client.on("connect", () => log.info("reconnected to the MQTT broker"));
  client.on("error", (error) => log.warn({ err: error }, "MQTT client error"));
  return new ExternalBus(client, log);
}

export class ExternalBus implements GatewayBus {
  private readonly handlers: { filter: string; handler: BusHandler }[] = [];

  constructor(
    readonly client: MqttClient,
    private readonly log: Logger,
  ) {
    // MQTT 3.1.1 sets retain only on what a new subscription hands over (3.3.1.3).
    client.on("message", (topic, payload, packet) => {
      for (const { filter, handler } of this.handlers) {
        if (!topicMatches(filter, topic)) continue;
        try {
          handler(topic, payload, { retained: packet.retain });
        } catch (error) {
          this.log.error({ err: error, topic }, "message handler failed; message dropped");
        }
      }
    });
  }

  async subscribe(filter: string, handler: BusHandler): Promise<void> {
    this.handlers.push({ filter, handler });
    let refused: boolean;
    try {
      const granted = await this.client.subscribeAsync(filter, { qos: 1 });
      refused = granted.some((grant) => grant.qos === 128);
    } catch (error) {
      // mqtt.js rejects a SUBACK that refuses; anything else is a real failure
      if (!(error instanceof ErrorWithSubackPacket)) {
        this.handlers.pop();
        throw error;
      }
      refused = true;
    }
    if (refused) {
      this.handlers.pop();
      throw new Error(
        `the MQTT broker refused the gateway's subscription to ${filter} — allow the gateway's user to read it in the broker's ACL`,
      );
    }
  }

  /**
   * Publishes only while connected: mqtt.js would otherwise keep the message
   * in memory (and lose it past 65 535 of them), which is no queue to trust.
   */
  async publish(
    topic: string,
    payload: string | Buffer,
    options: BusPublishOptions,
  ): Promise<void> {
    if (!this.client.connected) throw new Error("not connected to the MQTT broker");
    await this.client.publishAsync(topic, payload, {
      qos: options.qos,
      retain: options.retain ?? false,
    });
  }

  async close(): Promise<void> {
    this.handlers.length = 0;
    // A graceful end waits for every unconfirmed publish, which never comes
    // while the broker is down: then close at once.
    await this.client.endAsync(!this.client.connected);
  }
}
