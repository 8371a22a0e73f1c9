import { createServer, type Server, type Socket } from "node:net";
import { type Logger, silentLogger } from "@comptoir/contracts";
import { SimulatedReader, type SimulatedReaderOptions } from "./simulated-reader.js";

export type SimulatorOptions = Omit<SimulatedReaderOptions, "send" | "writable" | "disconnect">;

export interface SimulatorServer {
  /** tcp://host:port, with the port actually bound (ephemeral when 0 was asked). */
  url: string;
  /** The readers of the connections open now. */
  readonly readers: ReadonlySet<SimulatedReader>;
  close(): Promise<void>;
}

/**
 * Serves a simulated reader over TCP, like ser2net in front of a serial reader
 * or a networked reader: each connection gets its own reader, which starts from
 * the beginning of the scenario. Port 0 (the default) picks a free port.
 */
export function serveSimulatedReader(
  options: SimulatorOptions & { host?: string; port?: number; logger?: Logger },
): Promise<SimulatorServer> {
  const log = (options.logger ?? silentLogger).child({ module: `sim:${options.protocol}` });
  const readers = new Set<SimulatedReader>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    const reader = new SimulatedReader({
      ...options,
      send: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      writable: () => !socket.writableNeedDrain,
      disconnect: () => socket.destroy(),
    });
    readers.add(reader);
    log.info({ peer: `${socket.remoteAddress}:${socket.remotePort}` }, "host connected");
    socket.on("data", (chunk) => reader.receive(chunk));
    socket.on("error", (error) => log.debug({ err: error }, "connection error"));
    socket.on("close", () => {
      reader.close();
      readers.delete(reader);
      sockets.delete(socket);
      log.info("host disconnected");
    });
  });
  const host = options.host ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      const shown = host.includes(":") ? `[${host}]` : host;
      resolve({
        url: `tcp://${shown}:${port}`,
        readers,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
