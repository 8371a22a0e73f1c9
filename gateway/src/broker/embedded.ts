import { once } from "node:events";
import { createServer, isIPv6, type Server, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { createServer as createTlsServer } from "node:tls";
import { type Logger, silentLogger, TopicIdSchema } from "@comptoir/contracts";
import { Aedes, type AuthenticateError, type Client } from "aedes";
import { nodeMayPublish, nodeMaySubscribe } from "./acl.js";
import type { NodeCredentials } from "./credentials.js";
import { guardPacketSizes } from "./packet-guard.js";
import { connectionId, PendingConnections } from "./pending.js";

export interface EmbeddedBrokerOptions {
  site: string;
  /** Listen address; 127.0.0.1 by default. */
  host?: string;
  /** Listen port; 0 picks a free one (read it back from `port`). */
  port: number;
  /** Who is enrolled: a `Store` fits. */
  nodes: { node(id: string): object | undefined };
  credentials: Pick<NodeCredentials, "verify">;
  /** PEM key and certificate: MQTT over TLS (mqtts://), and the CA nodes pin. Plain MQTT without. */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string };
  /** Limits on what a client may cost the broker; see `BrokerLimits`. */
  limits?: Partial<BrokerLimits>;
  logger?: Logger;
}

/** What a client may cost the broker, before and after it logs in. */
export interface BrokerLimits {
  /** The largest MQTT packet accepted from a logged-in node, in bytes (the whole packet's body). */
  maxPacketBytes: number;
  /** Connections that have not completed CONNECT at once; more are closed at accept. */
  maxPendingConnections: number;
  /** The same, from one remote address: one host cannot take every slot. */
  maxPendingPerAddress: number;
  /** How long a new connection has to send its CONNECT. */
  connectTimeoutMs: number;
}

export const DEFAULT_BROKER_LIMITS: BrokerLimits = {
  // A node's batch is at most 256 KiB (device sync `maxBatchBytes`): 4 times that leaves room.
  maxPacketBytes: 1024 * 1024,
  maxPendingConnections: 64,
  maxPendingPerAddress: 8,
  connectTimeoutMs: 5000,
};

/**
 * Before login a client has sent only a CONNECT: a node id, its secret and
 * a small last will. Nothing larger is read from someone not yet known.
 */
const PRE_LOGIN_MAX_PACKET_BYTES = 16 * 1024;

export interface EmbeddedBroker {
  readonly aedes: Aedes;
  readonly host: string;
  /** The bound port (the one picked by the system when asked for 0). */
  readonly port: number;
  /** mqtt://host:port, or mqtts:// with TLS: for clients and for the logs. */
  readonly url: string;
  /** With TLS, the PEM nodes pin (their mqtt.ca). */
  readonly ca: string | undefined;
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
  const limits = { ...DEFAULT_BROKER_LIMITS, ...options.limits };
  const pending = new PendingConnections(limits);

  const aedes = await Aedes.createBroker({
    connectTimeout: limits.connectTimeoutMs,
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
      pending.release(connectionId(client.conn as Partial<Socket>));
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

  /** A connection ready for MQTT (after the TLS handshake with TLS): guarded, then Aedes'. */
  const serve = (socket: Duplex & Partial<Socket>) => {
    // Closed by the cap below (plain TCP calls both listeners for one connection).
    if (socket.destroyed) return;
    const id = connectionId(socket);
    guardPacketSizes(
      socket,
      () =>
        pending.has(id)
          ? Math.min(PRE_LOGIN_MAX_PACKET_BYTES, limits.maxPacketBytes)
          : limits.maxPacketBytes,
      (announced, limit) =>
        log.warn(
          { from: socket.remoteAddress, announced, limit },
          "MQTT packet over the size limit; connection closed (see mqtt.embedded.maxPacketBytes)",
        ),
    );
    aedes.handle(socket);
  };
  const server = options.tls
    ? createTlsServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          // Node's default gives a silent client 120 s to finish the handshake.
          handshakeTimeout: limits.connectTimeoutMs,
        },
        serve,
      )
    : createServer({ noDelay: true }, serve);
  server.on("tlsClientError", (error, socket) => {
    log.debug({ from: socket.remoteAddress, err: error }, "TLS handshake failed");
  });
  // Raw TCP connections, before any TLS handshake: the cap on those not logged in applies here.
  server.prependListener("connection", (socket: Socket) => {
    socket.setNoDelay(true);
    if (pending.admit(socket)) return;
    log.debug({ from: socket.remoteAddress }, "too many connections without CONNECT; closed");
    socket.destroy();
  });
  try {
    await listen(server, host, options.port);
  } catch (error) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw error;
  }
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  const scheme = options.tls ? "mqtts" : "mqtt";
  const url = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  log.info({ url }, "embedded MQTT broker listening");

  let closing: Promise<void> | undefined;
  return {
    aedes,
    host,
    port,
    url,
    ca: options.tls?.ca,
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
