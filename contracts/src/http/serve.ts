import type { Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";

/** Where a server listens: with port 0, the ephemeral port the system chose. */
export interface BoundAddress {
  host: string;
  port: number;
}

/** PEM key and certificate: serve HTTPS (and wss://). Plain HTTP without. */
export interface ServerTls {
  key: string | Buffer;
  cert: string | Buffer;
}

/** A Node server for a fetch handler (a Hono app's `fetch`), not listening yet. */
export function createFetchServer(
  fetch: (request: Request) => Response | Promise<Response>,
  host: string,
  port: number,
  tls?: ServerTls,
): Server {
  return createAdaptorServer({
    fetch,
    hostname: host,
    port,
    ...(tls
      ? { createServer: createHttpsServer, serverOptions: { key: tls.key, cert: tls.cert } }
      : {}),
  }) as Server;
}

/**
 * Listens on host:port; resolves with the address bound, or rejects with `failure`
 * (`cannot listen on …`) followed by why and what to do.
 */
export function listen(
  server: Server,
  host: string,
  port: number,
  failure: string,
): Promise<BoundAddress> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      reject(new Error(`${failure}: ${listenProblem(error)}`, { cause: error }));
    };
    const onListening = () => {
      server.off("error", onError);
      const bound = server.address() as AddressInfo;
      resolve({ host: bound.address, port: bound.port });
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

function listenProblem(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "EADDRINUSE":
      return "the port is in use — stop the other process or choose another port in http.listen";
    case "EACCES":
      return "permission denied — use a port above 1023";
    case "EADDRNOTAVAIL":
      return "this machine has no such address — use 127.0.0.1, 0.0.0.0 or one of its own addresses";
    default:
      return error.message;
  }
}

/** `http://host:port` (`https://` with TLS), IPv6 hosts in brackets. */
export function urlOf(address: BoundAddress, tls = false): string {
  const shown = address.host.includes(":") ? `[${address.host}]` : address.host;
  return `${tls ? "https" : "http"}://${shown}:${address.port}`;
}

/** Stops accepting, ends open connections (event streams included) and resolves when closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}
