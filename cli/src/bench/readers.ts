import { setImmediate as yieldToLoop } from "node:timers/promises";
import type { ProtocolName } from "@comptoir/device";
import { protocols, toRead } from "@comptoir/device";
import * as em4100 from "@comptoir/device/readers/em4100";
import * as line from "@comptoir/device/readers/line";
import * as r2000 from "@comptoir/device/readers/r2000";
import * as thingmagic from "@comptoir/device/readers/thingmagic";
import { type Bench, type BenchResult, result } from "./result.js";

/** Distinct tags in the stream: enough that EPC strings are not all the same few. */
const TAGS = 4096;
/** Bytes per push(): what a busy port (or a TCP reader) hands over at once. */
const CHUNK = 4096;

interface Stream {
  protocol: ProtocolName;
  bytes: Uint8Array;
  records: number;
  /** The byte a frame starts with: what the baseline scans for. */
  start: number;
  goal?: number;
}

function epc(i: number): string {
  // SGTIN-96 headers with varying serials (the last 38 bits).
  return `3034257BF7194E40${((i * 2654435761) >>> 0).toString(16).toUpperCase().padStart(8, "0")}`;
}

function build(
  protocol: ProtocolName,
  record: (i: number) => Uint8Array,
  records: number,
  start: number,
  goal?: number,
): Stream {
  const frames = Array.from({ length: TAGS }, (_, i) => record(i));
  const size = frames.reduce((n, f) => n + f.length, 0);
  const rounds = Math.ceil(records / TAGS);
  const bytes = new Uint8Array(size * rounds);
  let at = 0;
  for (let r = 0; r < rounds; r++) {
    for (const frame of frames) {
      bytes.set(frame, at);
      at += frame.length;
    }
  }
  return { protocol, bytes, records: rounds * TAGS, start, ...(goal ? { goal } : {}) };
}

function streams(quick: boolean): Stream[] {
  const n = quick ? 100_000 : 400_000;
  return [
    build(
      "thingmagic",
      (i) =>
        thingmagic.encodeTagRecord({
          epc: epc(i),
          antenna: 1 + (i % 4),
          rssi: -50 - (i % 30),
          readerTime: i,
        }),
      n,
      0xff,
      1_000_000,
    ),
    build(
      "r2000",
      (i) =>
        r2000.encodeTagRecord({
          epc: epc(i),
          antenna: 1 + (i % 4),
          rssi: -50 - (i % 30),
          channel: i % 50,
        }),
      n,
      0xa0,
      1_000_000,
    ),
    build("em4100", (i) => em4100.encodeCardFrame(epc(i).slice(-10)), n / 2, 0x02),
    build("line", (i) => line.encodeEpcLine(epc(i)), n / 2, 0x0d),
  ];
}

/** Decoded reads per second over the whole stream, pushed in CHUNK-byte pieces. */
function decodeRate(stream: Stream): number {
  const decoder = protocols[stream.protocol].createDecoder();
  let reads = 0;
  const started = performance.now();
  for (let at = 0; at < stream.bytes.length; at += CHUNK) {
    for (const message of decoder.push(stream.bytes.subarray(at, at + CHUNK))) {
      if (message.kind === "tag") reads++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (reads !== stream.records) {
    throw new Error(`${stream.protocol}: decoded ${reads} reads of ${stream.records}`);
  }
  return reads / seconds;
}

/** What the session does per read: decode, then the node's read record with its GS1 identity. */
function decodeAndRecordRate(stream: Stream): number {
  const decoder = protocols[stream.protocol].createDecoder();
  let reads = 0;
  const started = performance.now();
  const hostTime = new Date();
  for (let at = 0; at < stream.bytes.length; at += CHUNK) {
    for (const message of decoder.push(stream.bytes.subarray(at, at + CHUNK))) {
      if (message.kind === "tag" && toRead(message.tag, "bench", hostTime).antenna > 0) reads++;
    }
  }
  return reads / ((performance.now() - started) / 1000);
}

/** The baseline: the same bytes, in the same chunks, only scanned for frame start bytes. */
function scanRate(stream: Stream): number {
  let starts = 0;
  const started = performance.now();
  for (let at = 0; at < stream.bytes.length; at += CHUNK) {
    const chunk = stream.bytes.subarray(at, at + CHUNK);
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === stream.start) starts++;
  }
  const seconds = (performance.now() - started) / 1000;
  if (starts < stream.records) throw new Error(`${stream.protocol}: scan found ${starts} starts`);
  return stream.records / seconds;
}

async function best(times: number, measure: () => number): Promise<number> {
  let top = 0;
  for (let i = 0; i < times; i++) {
    top = Math.max(top, measure());
    await yieldToLoop();
  }
  return top;
}

export const readersBench: Bench = {
  name: "readers",
  summary:
    "decoded reads/s per reader protocol from a pre-built byte stream, against a start-byte scan",
  async run({ quick, log }) {
    const results: BenchResult[] = [];
    const times = quick ? 3 : 7;
    for (const stream of streams(quick)) {
      log(
        `${stream.protocol}: ${stream.records.toLocaleString("en")} records, ${(stream.bytes.length / 1e6).toFixed(1)} MB, best of ${times}…`,
      );
      const decoded = await best(times, () => decodeRate(stream));
      const scanned = await best(times, () => scanRate(stream));
      results.push(
        result(
          `${stream.protocol} decoded reads/s`,
          decoded,
          "reads/s",
          scanned,
          stream.goal ? { atLeast: stream.goal } : undefined,
        ),
      );
    }
    const [first] = streams(true);
    if (first) {
      log(`${first.protocol}: decode + read record (GS1 identity) per read…`);
      const recorded = await best(times, () => decodeAndRecordRate(first));
      const scanned = await best(times, () => scanRate(first));
      results.push(
        result(`${first.protocol} decode + toRead reads/s`, recorded, "reads/s", scanned),
      );
    }
    return results;
  },
};
