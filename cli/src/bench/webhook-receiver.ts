import { Worker } from "node:worker_threads";

/**
 * The bench's receiving server, in a worker thread so that it shares no
 * event loop with the deliverer it measures. It answers every POST 204 and
 * notes when each event (body `data.i`, or `i` for the bare loop) first
 * arrived, on the clock both threads share (timeOrigin + now).
 *
 * Plain JavaScript evaluated in the worker, as the open-loop generator: it
 * runs alike from the sources and from the bundle.
 */
const RECEIVER = `
const { parentPort } = require("node:worker_threads");
const http = require("node:http");
let arrivals = new Map();
let count = 0;
let expected = Infinity;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const at = performance.timeOrigin + performance.now();
    count++;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const i = body.data && typeof body.data.i === "number" ? body.data.i : body.i;
      if (typeof i === "number" && !arrivals.has(i)) arrivals.set(i, at);
    } catch {}
    res.writeHead(204);
    res.end();
    if (arrivals.size >= expected) {
      expected = Infinity;
      parentPort.postMessage({ type: "reached" });
    }
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () =>
  parentPort.postMessage({ type: "listening", port: server.address().port }),
);
parentPort.on("message", (message) => {
  if (message.type === "expect") {
    expected = message.n;
    if (arrivals.size >= expected) {
      expected = Infinity;
      parentPort.postMessage({ type: "reached" });
    }
  } else if (message.type === "report") {
    parentPort.postMessage({ type: "report", count, arrivals: [...arrivals] });
  } else if (message.type === "reset") {
    arrivals = new Map();
    count = 0;
  }
});
`;

type Message =
  | { type: "listening"; port: number }
  | { type: "reached" }
  | { type: "report"; count: number; arrivals: [number, number][] };

export interface BenchReceiver {
  url: string;
  /** Resolves once `n` distinct events have arrived since the last reset. */
  arrived(n: number): Promise<void>;
  /** Requests received, and when each event first arrived (ms, timeOrigin + now). */
  report(): Promise<{ count: number; arrivals: Map<number, number> }>;
  reset(): void;
  close(): Promise<void>;
}

export async function startBenchReceiver(): Promise<BenchReceiver> {
  const worker = new Worker(RECEIVER, { eval: true });
  const next = (type: Message["type"]) =>
    new Promise<Message>((resolve, reject) => {
      const listener = (message: Message) => {
        if (message.type !== type) return;
        worker.off("message", listener);
        resolve(message);
      };
      worker.on("message", listener);
      worker.once("error", reject);
    });
  const listening = (await next("listening")) as { port: number };
  return {
    url: `http://127.0.0.1:${listening.port}/events`,
    async arrived(n) {
      const reached = next("reached");
      worker.postMessage({ type: "expect", n });
      await reached;
    },
    async report() {
      const answer = next("report");
      worker.postMessage({ type: "report" });
      const { count, arrivals } = (await answer) as { count: number; arrivals: [number, number][] };
      return { count, arrivals: new Map(arrivals) };
    },
    reset() {
      worker.postMessage({ type: "reset" });
    },
    async close() {
      await worker.terminate();
    },
  };
}
