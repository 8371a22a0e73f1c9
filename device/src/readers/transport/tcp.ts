import { connect, type Socket } from "node:net";
import { StreamTransport } from "./stream-transport.js";
import { ReaderOpenError, type Transport } from "./types.js";

export interface TcpOpenOptions {
  host: string;
  port: number;
  url: string;
  connectTimeoutMs?: number;
}

/** Opens a TCP reader (ser2net, a networked reader) with Nagle off and keep-alive on. */
export function openTcp(options: TcpOpenOptions): Promise<Transport> {
  const where = `${options.host}:${options.port}`;
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host, port: options.port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new ReaderOpenError(
          `cannot connect to ${where}: no answer within ${timeoutMs} ms — check the address, the network and any firewall`,
          "timeout",
        ),
      );
    }, timeoutMs);
    socket.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(explainTcpError(where, error));
    });
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      resolve(
        new StreamTransport(
          options.url,
          socket,
          (s) =>
            new Promise<void>((done) => {
              const sock = s as Socket;
              if (sock.destroyed) return done();
              sock.once("close", () => done());
              sock.end();
              setTimeout(() => sock.destroy(), 500).unref();
            }),
          (hadError) => (hadError === true ? "connection reset" : "connection closed by the peer"),
        ),
      );
    });
  });
}

function explainTcpError(where: string, error: NodeJS.ErrnoException): ReaderOpenError {
  switch (error.code) {
    case "ECONNREFUSED":
      return new ReaderOpenError(
        `cannot connect to ${where}: connection refused — is the reader (or ser2net) listening on that port?`,
        "refused",
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new ReaderOpenError(
        `cannot connect to ${where}: unknown host — check the name or use the reader's IP address`,
        "not found",
      );
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new ReaderOpenError(
        `cannot connect to ${where}: host unreachable — check the network cable, the address and the reader's power`,
        "unreachable",
      );
    case "ETIMEDOUT":
      return new ReaderOpenError(
        `cannot connect to ${where}: timed out — check the address, the network and any firewall`,
        "timeout",
      );
    default:
      return new ReaderOpenError(`cannot connect to ${where}: ${error.message}`, "other");
  }
}
