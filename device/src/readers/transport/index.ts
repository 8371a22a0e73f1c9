import { openSerial } from "./serial.js";
import { openTcp } from "./tcp.js";
import type { SerialBinding, Transport } from "./types.js";
import { parseReaderUrl } from "./url.js";

export * from "./port-list.js";
export { listSerialPorts } from "./ports.js";
export { explainOpenError, openSerial } from "./serial.js";
export { StreamTransport } from "./stream-transport.js";
export { openTcp } from "./tcp.js";
export * from "./types.js";
export * from "./url.js";

export interface OpenTransportOptions {
  /** Baud rate when the URL names none (the protocol's default). */
  defaultBaud: number;
  /** serialport binding for serial URLs: the system's by default, MockBinding in tests. */
  binding?: SerialBinding;
  connectTimeoutMs?: number;
}

export type OpenTransport = (url: string) => Promise<Transport>;

/** Opens a reader by URL: `serial:///dev/...?baud=N` or `tcp://host:port`. */
export function openTransport(url: string, options: OpenTransportOptions): Promise<Transport> {
  const address = parseReaderUrl(url);
  if (address.kind === "tcp") {
    return openTcp({
      host: address.host,
      port: address.port,
      url,
      ...(options.connectTimeoutMs !== undefined
        ? { connectTimeoutMs: options.connectTimeoutMs }
        : {}),
    });
  }
  return openSerial({
    path: address.path,
    baudRate: address.baudRate ?? options.defaultBaud,
    url,
    ...(options.binding ? { binding: options.binding } : {}),
  });
}
