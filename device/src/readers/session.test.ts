import { createLogger } from "@comptoir/contracts";
import { SerialPortMock } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { em4100 } from "./em4100/index.js";
import type { Read } from "./identity.js";
import { ReaderSession, type ReaderStateChange, type ReaderSession as Session } from "./session.js";
import type { ProtocolDecoder, ReaderMessage, ReaderProtocol, SkipReason } from "./types.js";

/**
 * A toy protocol that exercises the session alone: `01 op` is the reader's
 * reply to command `op`, `0E op` refuses it, `02 b` a tag with EPC `0000000b`,
 * `03 s` an error. Everything else is garbage.
 */
function toyDecoder(): ProtocolDecoder {
  const skipped: Record<SkipReason, number> = {
    garbage: 0,
    "bad checksum": 0,
    "bad length": 0,
    truncated: 0,
    "unknown frame": 0,
  };
  let pending: number | undefined;
  return {
    skipped,
    push(chunk) {
      const out: ReaderMessage[] = [];
      for (const byte of chunk) {
        if (pending === undefined) {
          if ([1, 2, 3, 4, 0x0e].includes(byte)) pending = byte;
          else skipped.garbage++;
          continue;
        }
        const kind = pending;
        pending = undefined;
        if (kind === 1)
          out.push({ kind: "reply", command: byte, status: 0, payload: new Uint8Array() });
        if (kind === 0x0e)
          out.push({ kind: "reply", command: byte, status: 0x0101, payload: new Uint8Array() });
        if (kind === 2)
          out.push({
            kind: "tag",
            tag: { epc: `000000${byte.toString(16).padStart(2, "0").toUpperCase()}`, antenna: 1 },
          });
        if (kind === 4) out.push({ kind: "round-end", command: byte, payload: new Uint8Array() });
        if (kind === 3)
          out.push({ kind: "error", command: 0, status: byte, message: `toy error ${byte}` });
      }
      return out;
    },
  };
}

const answers = (op: number) => (message: ReaderMessage) =>
  message.kind === "reply" && message.command === op
    ? message.status === 0
      ? ("done" as const)
      : { failed: `status 0x${message.status.toString(16)}` }
    : undefined;

const toy: ReaderProtocol = {
  name: "thingmagic",
  defaultBaud: 115200,
  createDecoder: toyDecoder,
  startup: () => [
    { name: "hello", bytes: Uint8Array.of(0x10), answer: answers(0x10), timeoutMs: 300 },
    { name: "start reading", bytes: Uint8Array.of(0x11), answer: answers(0x11), timeoutMs: 300 },
  ],
  stop: () => Uint8Array.of(0x1f),
};

/** A promise that rejects when the device goes away (Node 20 has no Promise.withResolvers). */
function gone() {
  let reject!: (error: Error) => void;
  const promise = new Promise<never>((_, fail) => {
    reject = fail;
  });
  promise.catch(() => undefined);
  return { promise, reject };
}

type MockPort = Awaited<ReturnType<typeof SerialPortMock.binding.open>>;

/**
 * MockBinding, wrapped to keep each opened port and to play the reader:
 * it answers each written command with `reply(op)`, and can be unplugged.
 */
function mockReader(path: string, reply: (op: number) => number[] = (op) => [1, op]) {
  const binding = SerialPortMock.binding;
  binding.reset();
  binding.createPort(path, { record: true });
  const state = {
    present: true,
    ports: [] as MockPort[],
    written: [] as number[][],
    gone: gone(),
  };
  const wrapped: typeof binding = {
    ...binding,
    list: () => binding.list(),
    async open(options) {
      if (!state.present) throw new Error(`Error: No such file or directory, cannot open ${path}`);
      const port = await binding.open(options);
      state.ports.push(port);
      const read = port.read.bind(port);
      port.read = (buffer, offset, length) =>
        state.present
          ? Promise.race([read(buffer, offset, length), state.gone.promise])
          : Promise.reject(new Error("EIO: i/o error"));
      const write = port.write.bind(port);
      port.write = async (buffer: Buffer) => {
        await write(buffer);
        const ops = [...buffer];
        state.written.push(ops);
        for (const op of ops) {
          const bytes = reply(op);
          if (bytes.length > 0)
            setImmediate(() => port.isOpen && port.emitData(Buffer.from(bytes)));
        }
      };
      return port;
    },
  };
  return {
    binding: wrapped,
    state,
    current: () => state.ports.at(-1) as MockPort,
    /** The device vanishes: the pending read fails as it does on a real unplug (EIO). */
    unplug() {
      state.present = false;
      state.gone.reject(new Error("EIO: i/o error"));
      state.gone = gone();
    },
  };
}

function collect(session: Session) {
  const states: ReaderStateChange[] = [];
  const reads: Read[] = [];
  session.on("state", (change) => states.push(change));
  session.on("read", (read) => reads.push(read));
  return { states, reads };
}

function until<T>(check: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const value = check();
      if (value) return resolve(value);
      if (Date.now() - started > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

const PATH = "/dev/serial/by-id/usb-toy-reader";
const URL = `serial://${PATH}?baud=115200`;
const fastBackoff = { initialMs: 10, maxMs: 40, jitter: 0 };
let session: Session | undefined;

afterEach(async () => {
  await session?.stop();
  session = undefined;
});

describe("ReaderSession over the mock binding", () => {
  it("runs the start-up dialogue, writing exactly its commands, then emits reads", async () => {
    const mock = mockReader(PATH);
    session = new ReaderSession({ id: "dock-1", protocol: toy, url: URL, binding: mock.binding });
    const seen = collect(session);
    session.start();
    await session.whenReading();
    expect(Buffer.from(mock.current().recording)).toEqual(Buffer.from([0x10, 0x11]));
    expect(mock.current().openOptions.baudRate).toBe(115200);
    mock.current().emitData(Buffer.from([0xaa, 2, 0x2a, 2]));
    mock.current().emitData(Buffer.from([0x07]));
    await until(() => seen.reads.length === 2, "two reads");
    expect(seen.reads.map((r) => [r.reader, r.epc, r.antenna])).toEqual([
      ["dock-1", "0000002A", 1],
      ["dock-1", "00000007", 1],
    ]);
    expect(seen.states.map((s) => s.state)).toEqual(["starting", "reading"]);
    await session.stop();
    expect(Buffer.from(mock.state.written.flat())).toEqual(Buffer.from([0x10, 0x11, 0x1f]));
    expect(session.state).toBe("stopped");
  });

  it("reports degraded on unplug, reopens with backoff when the port comes back, and reads again", async () => {
    const mock = mockReader(PATH);
    session = new ReaderSession({
      id: "dock-1",
      protocol: toy,
      url: URL,
      binding: mock.binding,
      backoff: fastBackoff,
    });
    const seen = collect(session);
    session.start();
    await session.whenReading();
    const first = mock.current();
    mock.unplug();
    await until(() => seen.states.find((s) => s.state === "degraded"), "degraded");
    expect(seen.states.find((s) => s.state === "degraded")?.detail).toMatch(/disconnected/);
    // While the device is absent, reopening fails with the ports that do exist.
    await until(
      () => seen.states.some((s) => /no such port/.test(s.detail ?? "")),
      "a failed reopen",
    );
    mock.state.present = true;
    await until(
      () => mock.state.ports.length === 2 && session?.state === "reading",
      "reading again",
    );
    expect(mock.current()).not.toBe(first);
    expect(Buffer.from(mock.current().recording)).toEqual(Buffer.from([0x10, 0x11]));
    mock.current().emitData(Buffer.from([2, 0x42]));
    await until(() => seen.reads.length === 1, "a read after the reopen");
    expect(seen.reads[0]?.epc).toBe("00000042");
    expect(session.stats.disconnects).toBe(1);
    // Between the unplug and the return it reports degraded throughout, with what went wrong each time.
    const states = seen.states.map((s) => s.state);
    expect(states.slice(0, 2)).toEqual(["starting", "reading"]);
    expect(states.slice(2, -1).every((state) => state === "degraded")).toBe(true);
    expect(states.at(-1)).toBe("reading");
  });

  it("says 'wrong baud rate or protocol?' when only garbage arrives during start-up", async () => {
    const mock = mockReader(PATH, () => [0x55, 0x66, 0x77]);
    session = new ReaderSession({
      id: "r1",
      protocol: toy,
      url: URL,
      binding: mock.binding,
      backoff: { initialMs: 10_000 },
    });
    const seen = collect(session);
    session.start();
    const degraded = await until(() => seen.states.find((s) => s.state === "degraded"), "degraded");
    expect(degraded.detail).toMatch(
      /no valid frame from serial:\/\/.* within 300 ms \(3 bytes received; skipped: garbage 3\) — wrong baud rate or protocol\?/,
    );
  });

  it("says nothing was received when the reader is silent", async () => {
    const mock = mockReader(PATH, () => []);
    session = new ReaderSession({
      id: "r1",
      protocol: toy,
      url: URL,
      binding: mock.binding,
      backoff: { initialMs: 10_000 },
    });
    await expect(session.start().whenReading()).rejects.toThrow(
      /no answer to "hello" .* nothing received/,
    );
  });

  it("reports a refused step with the reader's status", async () => {
    const mock = mockReader(PATH, (op) => (op === 0x11 ? [0x0e, op] : [1, op]));
    session = new ReaderSession({
      id: "r1",
      protocol: toy,
      url: URL,
      binding: mock.binding,
      backoff: { initialMs: 10_000 },
    });
    await expect(session.start().whenReading()).rejects.toThrow(
      /refused "start reading": status 0x101/,
    );
  });

  it("restarts reading after a reader error, without reopening the port", async () => {
    const mock = mockReader(PATH);
    session = new ReaderSession({
      id: "r1",
      protocol: toy,
      url: URL,
      binding: mock.binding,
      backoff: fastBackoff,
    });
    const seen = collect(session);
    session.start();
    await session.whenReading();
    mock.current().emitData(Buffer.from([3, 0x22]));
    await until(() => mock.state.written.length === 4 && session?.state === "reading", "restart");
    expect(mock.state.ports).toHaveLength(1);
    expect(seen.states.map((s) => s.state)).toEqual(["starting", "reading", "degraded", "reading"]);
    expect(seen.states[2]?.detail).toMatch(/toy error 34/);
  });

  it("never waits for a slow consumer: the queue drops the oldest reads and counts them", async () => {
    const mock = mockReader(PATH);
    session = new ReaderSession({ id: "r1", protocol: toy, url: URL, binding: mock.binding });
    session.start();
    const queue = session.reads(10);
    await session.whenReading();
    const bytes: number[] = [];
    for (let i = 0; i < 50; i++) bytes.push(2, i);
    mock.current().emitData(Buffer.from(bytes));
    await until(() => session?.stats.tags === 50, "50 tags decoded");
    expect(queue.dropped).toBe(40);
    const first = await queue.next();
    expect(first.value?.epc).toBe("00000028");
    queue.close();
  });

  it("fails to open an absent port with the list of ports that exist", async () => {
    const mock = mockReader("/dev/ttyUSB7");
    session = new ReaderSession({
      id: "r1",
      protocol: toy,
      url: "serial:///dev/ttyUSB3",
      binding: mock.binding,
      backoff: { initialMs: 10_000 },
    });
    await expect(session.start().whenReading()).rejects.toThrow(
      /cannot open \/dev\/ttyUSB3: no such port — ports present: .*\/dev\/ttyUSB7/,
    );
  });
  it("sends the continuation after each round end, and restarts a reading loop that went silent", async () => {
    const mock = mockReader(PATH);
    const looping: ReaderProtocol = {
      ...toy,
      continueAfter: (message) => (message.kind === "round-end" ? Uint8Array.of(0x12) : undefined),
    };
    session = new ReaderSession({
      id: "r1",
      protocol: looping,
      url: URL,
      binding: mock.binding,
      backoff: fastBackoff,
      stallRestartMs: 500,
    });
    const seen = collect(session);
    session.start();
    await session.whenReading();
    mock.current().emitData(Buffer.from([4, 0x89, 2, 5, 4, 0x89]));
    await until(() => mock.state.written.length === 4, "two continuations");
    expect(mock.state.written.slice(2)).toEqual([[0x12], [0x12]]);
    // Silence: the round end was lost; the session runs the dialogue again.
    await until(() => mock.state.written.length >= 6, "the dialogue again");
    expect(mock.state.written.slice(4, 6)).toEqual([[0x10], [0x11]]);
    expect(seen.states.find((s) => s.state === "degraded")?.detail).toMatch(
      /no frame from the reader for 500 ms/,
    );
    expect(mock.state.ports).toHaveLength(1);
  });
  it("closes the port after a failed start-up and succeeds on the next attempt", async () => {
    let attempt = 0;
    const mock = mockReader(PATH, (op) => {
      if (op === 0x10) attempt++;
      return attempt === 1 ? [] : [1, op];
    });
    session = new ReaderSession({
      id: "r1",
      protocol: toy,
      url: URL,
      binding: mock.binding,
      backoff: fastBackoff,
    });
    const seen = collect(session);
    session.start();
    await until(() => session?.state === "reading", "reading on the second attempt");
    expect(mock.state.ports).toHaveLength(2);
    expect(mock.state.ports[0]?.isOpen).toBe(false);
    expect(seen.states.map((s) => s.state)).toEqual(["starting", "degraded", "reading"]);
  });

  it("reports a stream-only reader that sends only garbage, and recovers at the first valid frame", async () => {
    const mock = mockReader(PATH);
    session = new ReaderSession({
      id: "badge",
      protocol: em4100,
      url: `serial://${PATH}`,
      binding: mock.binding,
      noFrameTimeoutMs: 100,
    });
    const seen = collect(session);
    session.start();
    await session.whenReading();
    expect(mock.current().openOptions.baudRate).toBe(9600);
    mock.current().emitData(Buffer.from([0x80, 0xfe, 0x11, 0x9a]));
    const degraded = await until(() => seen.states.find((s) => s.state === "degraded"), "degraded");
    expect(degraded.detail).toMatch(
      /no valid frame from serial:\/\/.* within 0.1 s \(4 bytes received; skipped: garbage \d+\) — wrong baud rate or protocol\?/,
    );
    mock.current().emitData(Buffer.from("\x024500A2B3C490\x03", "latin1"));
    await until(() => seen.reads.length === 1 && session?.state === "reading", "reading again");
    expect(seen.reads[0]?.epc).toBe("4500A2B3C4");
  });
  it("logs through a child logger named reader:<id>: state changes at info, bytes at trace", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger(
      { level: "trace" },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const mock = mockReader(PATH);
    session = new ReaderSession({
      id: "dock-1",
      protocol: toy,
      url: URL,
      binding: mock.binding,
      logger,
    });
    session.start();
    await session.whenReading();
    mock.current().emitData(Buffer.from([2, 0x2a]));
    await until(() => lines.some((l) => l.rx === "022a"), "the bytes at trace");
    expect(lines.every((l) => l.module === "reader:dock-1")).toBe(true);
    expect(lines.find((l) => l.msg === "reader reading")).toMatchObject({
      level: 30,
      state: "reading",
    });
    expect(lines.find((l) => l.rx === "022a")).toMatchObject({ level: 10 });
    expect(lines.find((l) => l.tx === "10")).toMatchObject({ level: 10, msg: "hello" });
  });
});
