import type { Socket } from "node:net";
import type { BrokerLimits } from "./embedded.js";

/**
 * Connections accepted and not yet logged in, counted in all and per remote
 * address. A socket leaves the count when its node logs in or it closes.
 */
export class PendingConnections {
  /** Each pending connection (by remote address and port) and the address it came from. */
  private readonly connections = new Map<string, string>();
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly limits: Pick<BrokerLimits, "maxPendingConnections" | "maxPendingPerAddress">,
  ) {}

  /** A new TCP connection: false when it must be closed at once. */
  admit(socket: Socket): boolean {
    const address = socket.remoteAddress ?? "";
    const id = connectionId(socket);
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (this.connections.size >= this.limits.maxPendingConnections) return false;
    if (fromAddress >= this.limits.maxPendingPerAddress) return false;
    this.connections.set(id, address);
    this.perAddress.set(address, fromAddress + 1);
    socket.once("close", () => this.release(id));
    return true;
  }

  has(id: string): boolean {
    return this.connections.has(id);
  }

  /** The node on this connection logged in, or it closed: it no longer counts. */
  release(id: string): void {
    const address = this.connections.get(id);
    if (address === undefined) return;
    this.connections.delete(id);
    const left = (this.perAddress.get(address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(address, left);
    else this.perAddress.delete(address);
  }
}

/**
 * One TCP connection's name, the same for the raw socket and the TLS socket
 * over it: the remote address and port.
 */
export function connectionId(
  socket: Partial<Pick<Socket, "remoteAddress" | "remotePort">>,
): string {
  return `${socket.remoteAddress}|${socket.remotePort}`;
}
