import type { Duplex } from "node:stream";

/**
 * Refuses MQTT packets larger than a limit before their bytes are kept.
 *
 * Aedes' parser (mqtt-packet) has no size limit: it keeps every byte of a
 * packet until the whole packet is in, so one socket announcing a 200 MiB
 * CONNECT made the broker hold 151 MB. This reads each packet's fixed
 * header (type byte, then the "remaining length", a variable-length integer
 * of up to 4 bytes) as the bytes go by, and destroys the socket as soon as
 * one announces more than `limit()` bytes: the payload is never read.
 *
 * It sits in the socket's `read()`, which Aedes calls on every 'readable'
 * (`conn.read(null)`), so it sees each byte exactly once and changes
 * nothing in how Aedes reads or writes the socket (plain TCP or TLS).
 */
export function guardPacketSizes(
  socket: Duplex,
  limit: () => number,
  onTooLarge: (announced: number | "malformed", limit: number) => void,
): void {
  const read = socket.read.bind(socket);
  const header = new FixedHeaderReader();
  socket.read = (size?: number) => {
    if (socket.destroyed) return null;
    const chunk = read(size) as Buffer | string | null;
    if (chunk === null || typeof chunk === "string") return chunk;
    const announced = header.feed(chunk, limit());
    if (announced === undefined) return chunk;
    onTooLarge(announced, limit());
    socket.destroy();
    return null;
  };
}

/**
 * Follows packet boundaries in a byte stream: in a header, or skipping the
 * rest of a packet whose size was already judged.
 */
export class FixedHeaderReader {
  /** Bytes still to skip in the current packet's body. */
  private skip = 0;
  /** Where we are in a fixed header: -1 before its type byte. */
  private lengthBytes = -1;
  private length = 0;

  /** Undefined when all is well; the size announced (or "malformed") when over the limit. */
  feed(chunk: Buffer, limit: number): number | "malformed" | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const step = Math.min(this.skip, chunk.length - at);
        this.skip -= step;
        at += step;
        continue;
      }
      const byte = chunk[at++] as number;
      if (this.lengthBytes < 0) {
        this.lengthBytes = 0;
        this.length = 0;
        continue;
      }
      this.length += (byte & 0x7f) * 128 ** this.lengthBytes;
      this.lengthBytes++;
      if (byte & 0x80) {
        // MQTT allows at most 4 length bytes; a fifth is garbage.
        if (this.lengthBytes === 4) return "malformed";
        continue;
      }
      if (this.length > limit) return this.length;
      this.skip = this.length;
      this.lengthBytes = -1;
    }
    return undefined;
  }
}
