import { isLoopbackHost, type Logger, stripUserinfo, urlHost } from "@comptoir/contracts";
import { readPem } from "@comptoir/contracts/http";
import type { MqttClientConfigSchema } from "@comptoir/firmware-config";
import type { IClientOptions } from "mqtt";
import type { z } from "zod";

export type MqttClientConfig = z.infer<typeof MqttClientConfigSchema>;

export interface ClientOptionsInput {
  /** The node id: also the MQTT client id, which per-node ACLs key on. */
  node: string;
  will: NonNullable<IClientOptions["will"]>;
  /** Seconds between pings; the broker declares the node dead after 1.5 × this. */
  keepalive?: number;
  reconnectPeriodMs?: number;
  connectTimeoutMs?: number;
  /** Where the warning for allowed plaintext goes. */
  logger?: Logger;
}

/**
 * mqtt.js options for a node, from its `mqtt` config: per-node credentials,
 * TLS (CA, client certificate and key read from their PEM files) for
 * mqtts:// and tls:// URLs, and nothing that lets mqtt.js queue offline
 * (`queueQoSZero: false`; the publisher only publishes while connected).
 * With `mqtt.ca` the broker's certificate must chain to that CA and nothing
 * else (the pin made at enrollment). Plaintext to anything but loopback is
 * refused unless `mqtt.allowPlaintext` says so.
 */
export async function clientOptionsFromConfig(
  config: MqttClientConfig,
  input: ClientOptionsInput,
): Promise<IClientOptions> {
  const tls = /^(mqtts|wss|tls):/.test(config.url);
  const files = { ca: config.ca, cert: config.cert, key: config.key };
  const named = Object.entries(files).filter(([, path]) => path !== undefined);
  if (!tls && named.length > 0) {
    throw new Error(
      `mqtt.${named.map(([name]) => name).join(", mqtt.")} set, but mqtt.url ${config.url} is not a TLS URL — use mqtts://host:8883, or remove the TLS files`,
    );
  }
  if (!tls) plaintextAllowed(config, input.logger);
  if ((config.cert === undefined) !== (config.key === undefined)) {
    throw new Error(
      "mqtt.cert and mqtt.key go together: a client certificate needs its private key (set both, or neither)",
    );
  }
  if (config.password !== undefined && config.username === undefined) {
    throw new Error("mqtt.password is set without mqtt.username: set the node's broker user too");
  }
  const options: IClientOptions = {
    clientId: input.node,
    protocolVersion: 4,
    clean: true,
    keepalive: input.keepalive ?? 30,
    reconnectPeriod: input.reconnectPeriodMs ?? 2000,
    connectTimeout: input.connectTimeoutMs ?? 10_000,
    queueQoSZero: false,
    // Subscriptions are made again by the sync on every connect, before it publishes.
    resubscribe: false,
    // Without this, mqtt-packet pre-builds a Buffer for each of the 65 536
    // message ids on the first write: about 8 MB of heap on a node that
    // publishes a few batches a second (bench node-memory).
    writeCache: false,
    will: input.will,
  };
  if (config.username !== undefined) options.username = config.username;
  if (config.password !== undefined) options.password = config.password;
  if (tls) {
    options.rejectUnauthorized = true;
    if (config.ca) options.ca = await readPem(config.ca, "mqtt.ca", "node");
    if (config.cert) options.cert = await readPem(config.cert, "mqtt.cert", "node");
    if (config.key) options.key = await readPem(config.key, "mqtt.key", "node");
  }
  return options;
}

/**
 * Off loopback, a node must know the gateway's key: anyone who can publish on
 * the broker could otherwise forge acks (and retention would then delete
 * segments never synced), credit snapshots, prices and commands. On loopback
 * the broker is this machine's, and a missing key is only warned about.
 */
export function requireGatewayKey(config: MqttClientConfig): void {
  if (config.gatewayKey !== undefined || isLoopbackHost(urlHost(config.url) ?? "")) return;
  throw new Error(
    `mqtt.gatewayKey is not set, and the broker ${stripUserinfo(config.url)} is not on this machine: set it to gateway.publicKey from the enrollment answer (or the gateway's <dataDir>/identity.pub), so that this node takes acks, commands, credit and catalog only from the gateway`,
  );
}

/** Plaintext stays on loopback unless the config accepts the risk in so many words. */
function plaintextAllowed(config: MqttClientConfig, logger: Logger | undefined): void {
  const host = urlHost(config.url) ?? "";
  if (isLoopbackHost(host)) return;
  const shown = stripUserinfo(config.url);
  if (config.allowPlaintext !== true)
    throw new Error(
      `refusing to send this node's MQTT secret and ledger in plaintext to ${shown} — use the gateway's mqtts:// URL with mqtt.ca (the PEM given at enrollment), or set mqtt.allowPlaintext: true to accept the risk`,
    );
  logger?.warn({ url: shown }, "plaintext MQTT to a non-loopback broker (mqtt.allowPlaintext)");
}
