import { once } from "node:events";
import { createServer, isIPv6, type Server } from "node:net";
import { type Logger, silentLogger, TopicIdSchema } from "@comptoir/contracts";
import { Aedes, type AuthenticateError, type Client } from "aedes";
import { nodeMayPublish, nodeMaySubscribe } from "./acl.js";
import type { NodeCredentials } from "./credentials.js";

export interface EmbeddedBrokerOptions {
  site: string;
  /** Listen address; 127.0.0.1 by default. */
  host?: string;
  /** Listen port; 0 picks a free one (read it back from `port`). */
  port: number;
  /** Who is enrolled: a `Store` fits. */
  nodes: { node(id: string): object | undefined };
  credentials: Pick<NodeCredentials, "verify">;
  logger?: Logger;
}

export interface EmbeddedBroker {
  readonly aedes: Aedes;
  readonly host: string;
  /** The bound port (the one picked by the system when asked for 0). */
  readonly port: number;
  /** mqtt://host:port, for clients and for the logs. */
  readonly url: string;
  close(): Promise<void>;
}

/** The broker could not listen: the message says where, why and what to change. */
export class BrokerListenError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = "BrokerListenError";
  }
}

/**
 * The embedded MQTT broker (Aedes on a TCP server with TCP_NODELAY). A node
 * connects with username = its id = its client id and the MQTT secret made
 * at enrollment; an unknown node is refused at CONNECT. Once in, a node
 * publishes and subscribes only where `acl.ts` lets it: anything else
 * closes its connection (publish) or is refused in the SUBACK (subscribe).
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? "127.0.0.1";
  const { site } = options;
  const log = (options.logger ?? silentLogger).child({ module: "broker" });
  /** The node each authenticated connection belongs to. */
  const owners = new WeakMap<Client, string>();

  const aedes = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const refuse = (returnCode: AuthenticateError["returnCode"], reason: string) => {
        log.warn({ client: client.id, username, reason }, "MQTT connection refused");
        done(Object.assign(new Error(reason), { returnCode }), false);
      };
      if (username === undefined || !TopicIdSchema.safeParse(username).success)
        return refuse(4, "no node id as username");
      if (client.id !== username) return refuse(2, "the client id must be the node id");
      let enrolled: boolean;
      let verified: boolean;
      try {
        enrolled = options.nodes.node(username) !== undefined;
        verified = enrolled && options.credentials.verify(username, password);
      } catch (error) {
        log.error({ err: error, node: username }, "cannot check the node's credentials");
        return refuse(3, "credentials unavailable");
      }
      if (!enrolled) return refuse(5, "node not enrolled");
      if (!verified) return refuse(4, "wrong or missing MQTT secret");
      owners.set(client, username);
      log.info({ node: username }, "node connected");
      done(null, true);
    },
    authorizePublish(client, packet, done) {
      // Aedes only asks with no client for a last will left by a session gone before a restart.
      const node = client ? owners.get(client) : undefined;
      if (node !== undefined && nodeMayPublish(site, node, packet.topic)) return done(null);
      log.warn({ node, topic: packet.topic }, "publish refused; closing the connection");
      done(new Error(`not allowed to publish on ${packet.topic}`));
    },
    authorizeSubscribe(client, subscription, done) {
      const node = owners.get(client);
      if (node !== undefined && nodeMaySubscribe(site, node, subscription.topic))
        return done(null, subscription);
      log.warn({ node, filter: subscription.topic }, "subscription refused");
      done(null, null);
    },
  });
  aedes.on("clientError", (client, error) => {
    log.debug({ client: client.id, err: error }, "client error");
  });
  aedes.on("connectionError", (client, error) => {
    log.debug({ client: client.id, err: error }, "connection error");
  });
  aedes.on("clientDisconnect", (client) => {
    const node = owners.get(client);
    if (node !== undefined) log.info({ node }, "node disconnected");
  });

  const server = createServer({ noDelay: true }, (socket) => {
    socket.setNoDelay(true);
    aedes.handle(socket);
  });
  try {
    await listen(server, host, options.port);
  } catch (error) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw error;
  }
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  const url = `mqtt://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  log.info({ url }, "embedded MQTT broker listening");

  let closing: Promise<void> | undefined;
  return {
    aedes,
    host,
    port,
    url,
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        await serverClosed;
      })();
      return closing;
    },
  };
}

async function listen(server: Server, host: string, port: number): Promise<void> {
  server.listen({ host, port });
  try {
    await once(server, "listening");
  } catch (error) {
    throw listenError(error as NodeJS.ErrnoException, host, port);
  }
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): BrokerListenError {
  const where = `${isIPv6(host) ? `[${host}]` : host}:${port}`;
  switch (error.code) {
    case "EADDRINUSE":
      return new BrokerListenError(
        `port ${port} on ${host} is already in use (another MQTT broker?) — set mqtt.url: mqtt://${where} to use it, or choose another mqtt.embedded.port`,
        error.code,
      );
    case "EACCES":
      return new BrokerListenError(
        `cannot listen on ${where}: permission denied — choose an mqtt.embedded.port of 1024 or above, or run with the right to bind it`,
        error.code,
      );
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new BrokerListenError(
        `cannot listen on ${where}: ${host} is not an address of this machine — set mqtt.embedded.host to one of its addresses, such as 127.0.0.1 or 0.0.0.0`,
        error.code,
      );
    default:
      return new BrokerListenError(
        `cannot listen on ${where}: ${error.message} — check mqtt.embedded.host and mqtt.embedded.port`,
        error.code,
      );
  }
}
