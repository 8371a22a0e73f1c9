import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { openTransport } from "./index.js";

let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

function listen(onSocket: (socket: Socket) => void): Promise<number> {
  const created = createServer(onSocket);
  server = created;
  return new Promise((resolve) =>
    created.listen(0, "127.0.0.1", () => resolve((created.address() as { port: number }).port)),
  );
}

describe("tcp transport", () => {
  it("carries bytes both ways and reports a peer that goes away as disconnected", async () => {
    let peer: Socket | undefined;
    const port = await listen((socket) => {
      peer = socket;
      socket.on("data", (data) => socket.write(Buffer.concat([Buffer.from([0xff]), data])));
    });
    const transport = await openTransport(`tcp://127.0.0.1:${port}`, { defaultBaud: 115200 });
    const received: Buffer[] = [];
    transport.on("data", (chunk) => received.push(chunk));
    const closed = new Promise((resolve) => transport.once("close", resolve));
    await transport.write(Uint8Array.of(1, 2, 3));
    while (Buffer.concat(received).length < 4)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(Buffer.concat(received)).toEqual(Buffer.from([0xff, 1, 2, 3]));
    peer?.destroy();
    expect(await closed).toMatchObject({ disconnected: true });
    expect(transport.isOpen).toBe(false);
  });

  it("reports our own close as not disconnected", async () => {
    const port = await listen(() => undefined);
    const transport = await openTransport(`tcp://127.0.0.1:${port}`, { defaultBaud: 9600 });
    const closed = new Promise((resolve) => transport.once("close", resolve));
    await transport.close();
    expect(await closed).toMatchObject({ disconnected: false });
  });

  it("explains a refused connection", async () => {
    const port = await listen(() => undefined);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    await expect(openTransport(`tcp://127.0.0.1:${port}`, { defaultBaud: 9600 })).rejects.toThrow(
      /cannot connect to 127.0.0.1:\d+: connection refused — is the reader \(or ser2net\) listening/,
    );
  });
});
