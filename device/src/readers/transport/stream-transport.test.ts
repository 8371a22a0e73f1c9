import { Duplex } from "node:stream";
import { describe, expect, it } from "vitest";
import { StreamTransport } from "./stream-transport.js";
import type { TransportClosed } from "./types.js";

/** A byte stream whose readable side ends without the stream closing: what a hung-up tty gives serialport. */
function endingStream() {
  let shut = 0;
  const stream = new Duplex({
    read() {},
    write(_chunk, _encoding, done) {
      done();
    },
    autoDestroy: false,
  });
  const transport = new StreamTransport(
    "serial:///dev/pts/9",
    stream,
    async () => {
      shut++;
    },
    () => undefined,
  );
  return { stream, transport, shutCount: () => shut };
}

describe("StreamTransport", () => {
  it("takes the end of the byte stream for a disconnect, closes the port, and says so once", async () => {
    const { stream, transport, shutCount } = endingStream();
    const closes: TransportClosed[] = [];
    const closed = new Promise<void>((resolve) =>
      transport.on("close", (why) => {
        closes.push(why);
        resolve();
      }),
    );
    const data: Buffer[] = [];
    transport.on("data", (chunk) => data.push(chunk));
    stream.push(Buffer.from("\x024500A2B3C490\x03"));
    stream.push(null);
    await closed;
    expect(data).toHaveLength(1);
    expect(closes).toEqual([{ disconnected: true, reason: "the device ended the stream" }]);
    expect(shutCount()).toBe(1);
    expect(transport.isOpen).toBe(false);
  });

  it("closing it ourselves is not a disconnect", async () => {
    const { stream, transport } = endingStream();
    const closes: TransportClosed[] = [];
    transport.on("close", (why) => closes.push(why));
    // Our shut does not emit close here: close() finishes it when the stream cannot.
    stream.on("close", () => {});
    const closing = transport.close();
    stream.emit("close");
    await closing;
    stream.push(null);
    expect(closes).toEqual([{ disconnected: false }]);
  });
});
