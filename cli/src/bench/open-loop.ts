import { Worker } from "node:worker_threads";

/**
 * The open-loop HTTP load generator, in a worker thread so that it does not
 * share the event loop of the node it measures. Request i is due at
 * start + i / rate; its latency runs from that scheduled time, not from when
 * it was sent, so a stalled server is charged for the requests it delayed
 * (no coordinated omission).
 *
 * One worker serves every run of a bench, with one keep-alive agent: a
 * fresh worker per run interpreted its HTTP client from cold and opened new
 * connections during the run's first half second, on the same two cores as
 * the node it measures, and a 2-second run's p99 was that cold start's.
 *
 * Plain JavaScript evaluated in the worker: it needs nothing but Node's own
 * modules, and so runs alike from the sources and from the bundle (which
 * would otherwise need a second entry point for it).
 */
const GENERATOR = `
const { parentPort } = require("node:worker_threads");
const http = require("node:http");
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
parentPort.on("message", (job) => (job === "close" ? close() : run(job)));
function close() {
  agent.destroy();
  parentPort.close();
}
function run({ url, method, body, numbered, rate, seconds, extraHeaders }) {
  const target = new URL(url);
  const fixed = body === null || numbered.length > 0 ? null : Buffer.from(body);
  function payloadOf(i) {
    if (body === null || fixed !== null) return fixed;
    let text = body;
    for (const { token, modulo } of numbered)
      text = text.split(token).join(String(modulo ? (i % modulo) + 1 : i + 1));
    return Buffer.from(text);
  }
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const latencies = new Float64Array(total);
  let issued = 0;
  let done = 0;
  let failures = 0;
  let firstFailure = null;
  const start = performance.now() + 20;
  function finish(i, scheduled, failed) {
    latencies[i] = failed ? Infinity : performance.now() - scheduled;
    sendDue();
    if (++done === total)
      parentPort.postMessage({ latencies, failures, firstFailure }, [latencies.buffer]);
  }
  function fail(what) {
    failures++;
    if (firstFailure === null) firstFailure = what;
  }
  function send(i, scheduled) {
    const payload = payloadOf(i);
    const headers = payload
      ? { ...extraHeaders, "content-type": "application/json", "content-length": String(payload.length) }
      : { ...extraHeaders };
    const request = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method, agent, headers },
      (response) => {
        const failed = response.statusCode >= 300;
        if (failed) fail("HTTP " + response.statusCode);
        response.resume();
        response.on("end", () => finish(i, scheduled, failed));
      },
    );
    request.on("error", (error) => {
      fail(String(error));
      finish(i, scheduled, true);
    });
    request.end(payload ?? undefined);
  }
  // Node's timers fire on whole milliseconds, up to one late: requests are
  // also sent when an answer wakes this thread, so most leave on time.
  function sendDue() {
    const now = performance.now();
    while (issued < total && start + issued * interval <= now) {
      send(issued, start + issued * interval);
      issued++;
    }
  }
  function tick() {
    sendDue();
    if (issued < total) setTimeout(tick, Math.max(0, start + issued * interval - performance.now()));
  }
  setTimeout(tick, 20);
}
`;

export interface OpenLoopResult {
  /**
   * Milliseconds from each request's scheduled time to its full answer,
   * sorted ascending; Infinity for a request that failed (an error status or
   * a broken connection): it counts as never answered, not as fast.
   */
  latencies: Float64Array;
  failures: number;
  firstFailure: string | null;
}

export interface OpenLoopRun {
  url: string;
  method: "GET" | "POST";
  body?: unknown;
  /**
   * Tokens replaced in the body, wherever they appear, by the request's
   * number (from 1), or by it modulo `modulo` (from 1): each request a new
   * document (an order number), of one of a few customers, instead of the
   * same one again.
   */
  numbered?: { token: string; modulo?: number }[];
  /** Sent with every request: a terminal token, a clerk's session. */
  headers?: Record<string, string>;
  rate: number;
  seconds: number;
}

/** One generator thread for a bench's runs, one after another; `close()` when done. */
export class LoadGenerator {
  private readonly worker = new Worker(GENERATOR, { eval: true });
  /** The run waiting for its answer: one at a time. */
  private waiting:
    | { resolve: (result: OpenLoopResult) => void; reject: (error: Error) => void }
    | undefined;
  /** Why no run can be answered any more: the worker failed or exited. */
  private failed: Error | undefined;
  private readonly exited: Promise<unknown>;

  constructor() {
    const { worker } = this;
    worker.on("message", (result: OpenLoopResult) => this.settle().resolve(result));
    worker.on("error", (error) => {
      this.failed = error;
      this.settle().reject(error);
    });
    this.exited = new Promise((resolve) =>
      worker.once("exit", (code) => {
        this.failed ??= new Error(`the load generator exited (${code})`);
        this.settle().reject(this.failed);
        resolve(code);
      }),
    );
  }

  async run(options: OpenLoopRun): Promise<OpenLoopResult> {
    if (this.failed) throw this.failed;
    if (this.waiting) throw new Error("the load generator runs one load at a time");
    const answer = await new Promise<OpenLoopResult>((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage({
        url: options.url,
        method: options.method,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        numbered: options.numbered ?? [],
        rate: options.rate,
        seconds: options.seconds,
        extraHeaders: options.headers ?? {},
      });
    });
    return { ...answer, latencies: answer.latencies.sort() };
  }

  async close(): Promise<void> {
    this.worker.postMessage("close");
    // Closing its port ends the worker once its sockets are gone; terminate is the backstop.
    const timer = setTimeout(() => void this.worker.terminate(), 2_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** The waiting run, no longer waiting (or a no-op when none was). */
  private settle() {
    const waiting = this.waiting;
    this.waiting = undefined;
    return waiting ?? { resolve: () => undefined, reject: () => undefined };
  }
}
