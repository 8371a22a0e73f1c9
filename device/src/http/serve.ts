import type { Server } from "node:http";
import { closeServer, createFetchServer, listen, urlOf } from "@comptoir/contracts/http";
import { parseListen } from "@comptoir/firmware-config";
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

/** Serves a Hono app on `http.listen`; resolves once listening, rejects with an actionable message if it cannot. */
export async function serveNodeApp(app: Hono, where: string): Promise<NodeServer> {
  const { host, port } = parseListen(where);
  const server = createFetchServer(app.fetch, host, port);
  const address = await listen(server, host, port, `cannot listen on ${where}`);
  return { server, address, url: urlOf(address), close: () => closeServer(server) };
}
