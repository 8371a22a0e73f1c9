import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseListen } from "@comptoir/firmware-config";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";

export interface NodeServer {
  server: Server;
  /** The address actually bound: with port 0, the ephemeral port the system chose. */
  address: { host: string; port: number };
  /** `http://host:port`, IPv6 hosts in brackets. */
  url: string;
  /** Stops accepting, ends open connections (event streams included) and resolves when closed. */
  close(): Promise<void>;
}

/** Serves a Hono app on `host:port`; resolves once listening, rejects with an actionable message if it cannot. */
export function serveNodeApp(app: Hono, listen: string): Promise<NodeServer> {
  const { host, port } = parseListen(listen);
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host, port }) as Server;
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      const why =
        error.code === "EADDRINUSE"
          ? "the port is in use — stop the other process or choose another port in http.listen"
          : error.code === "EACCES"
            ? "permission denied — use a port above 1023"
            : error.code === "EADDRNOTAVAIL"
              ? "this machine has no such address — use 127.0.0.1, 0.0.0.0 or one of its own addresses"
              : error.message;
      reject(new Error(`cannot listen on ${listen}: ${why}`, { cause: error }));
    };
    const onListening = () => {
      server.off("error", onError);
      const bound = server.address() as AddressInfo;
      const address = { host: bound.address, port: bound.port };
      const shown = address.host.includes(":") ? `[${address.host}]` : address.host;
      resolve({
        server,
        address,
        url: `http://${shown}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}
