import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { Aedes, type AedesOptions } from "aedes";

/**
 * An embedded Aedes broker on loopback, for tests and benchmarks. `port: 0`
 * takes an ephemeral port; `stop()` kills every connection the way a broker
 * crash would, and a new broker can then listen on the same port.
 */
export interface TestBroker {
  port: number;
  url: string;
  aedes: Aedes;
  stop(): Promise<void>;
}

export async function startBroker(port = 0, options: AedesOptions = {}): Promise<TestBroker> {
  const aedes = await Aedes.createBroker(options);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    aedes.handle(socket);
  });
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return {
    port: address.port,
    url: `mqtt://127.0.0.1:${address.port}`,
    aedes,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await closed;
    },
  };
}
