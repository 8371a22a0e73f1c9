import { once } from "node:events";
import { createConnection, createServer, type Socket } from "node:net";

/**
 * A TCP relay between one node and the broker that a test can cut and
 * restore: a network partition of that node alone, with the gateway and the
 * other nodes left running. Cut, it drops the open connections and refuses
 * new ones (the node retries, as it would against an unreachable gateway).
 */
export interface CuttableLink {
  /** mqtt://127.0.0.1:<port> for the node's config. */
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function cuttableLink(target: { host: string; port: number }): Promise<CuttableLink> {
  const open = new Set<Socket>();
  let up = true;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server = createServer({ noDelay: true }, (client) => {
    track(client);
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ ...target, noDelay: true });
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    // Either side gone: the other goes too, as a broken link would.
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  });
  server.listen({ host: "127.0.0.1", port: 0 });
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const dropAll = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    cut() {
      up = false;
      dropAll();
    },
    restore() {
      up = true;
    },
    async close() {
      up = false;
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
