/** Where a reader is: a serial device (with its baud rate) or a TCP endpoint (ser2net, networked readers). */
export type ReaderAddress =
  | { kind: "serial"; path: string; baudRate: number | undefined; url: string }
  | { kind: "tcp"; host: string; port: number; url: string };

export class ReaderUrlError extends Error {
  override name = "ReaderUrlError";
}

const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600];

const EXAMPLES = "use serial:///dev/serial/by-id/<device>?baud=115200 or tcp://<host>:<port>";

/**
 * Parses a reader URL. `serial:///dev/ttyUSB0?baud=9600` (the path is absolute;
 * without `baud` the protocol's default applies) or `tcp://host:4001`.
 */
export function parseReaderUrl(text: string): ReaderAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ReaderUrlError(`"${text}" is not a reader URL — ${EXAMPLES}`);
  }
  if (url.protocol === "serial:") return parseSerial(text, url);
  if (url.protocol === "tcp:") return parseTcp(text, url);
  throw new ReaderUrlError(
    `"${text}": unknown scheme "${url.protocol.replace(/:$/, "")}" — ${EXAMPLES}`,
  );
}

function parseSerial(text: string, url: URL): ReaderAddress {
  if (url.host !== "") {
    throw new ReaderUrlError(
      `"${text}": a serial URL has three slashes and an absolute path, like serial:///dev/ttyUSB0`,
    );
  }
  const path = decodeURIComponent(url.pathname);
  if (!path.startsWith("/") || path === "/") {
    throw new ReaderUrlError(`"${text}": no device path — like serial:///dev/ttyUSB0`);
  }
  for (const key of url.searchParams.keys()) {
    if (key !== "baud") throw new ReaderUrlError(`"${text}": unknown option "${key}" (only baud)`);
  }
  const baud = url.searchParams.get("baud");
  let baudRate: number | undefined;
  if (baud !== null) {
    baudRate = Number(baud);
    if (!BAUD_RATES.includes(baudRate)) {
      throw new ReaderUrlError(
        `"${text}": baud must be one of ${BAUD_RATES.join(", ")}, not "${baud}"`,
      );
    }
  }
  return { kind: "serial", path, baudRate, url: text };
}

function parseTcp(text: string, url: URL): ReaderAddress {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") throw new ReaderUrlError(`"${text}": no host — like tcp://192.168.1.50:4001`);
  if (url.port === "") {
    throw new ReaderUrlError(`"${text}": no port — like tcp://${host}:4001`);
  }
  if ((url.pathname !== "" && url.pathname !== "/") || url.search !== "") {
    throw new ReaderUrlError(`"${text}": a tcp URL is only host and port, like tcp://${host}:4001`);
  }
  return { kind: "tcp", host, port: Number(url.port), url: text };
}
