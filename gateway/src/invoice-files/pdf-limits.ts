import { Worker } from "node:worker_threads";
import { workerEntry } from "@comptoir/contracts/worker-entry";
import type { PdfLimitHit } from "../file-readers/parse-result.js";
import type { FacturXmlResult } from "./factur-x-pdf.js";

/**
 * Reading a PDF happens in a worker thread with three limits, each
 * answered as a refused file that names it (the route's 422):
 * - inflated bytes: what all of pdf-lib's stream decoders may allocate;
 * - heap: the worker's JavaScript heap (objects of a huge object tree);
 * - time: the worker is terminated past it, the gateway's event loop
 *   never waits on pdf-lib.
 * A real Factur-X invoice needs a few megabytes and well under a second.
 */
export interface PdfLimits {
  maxInflatedBytes: number;
  maxHeapMb: number;
  timeoutMs: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = {
  maxInflatedBytes: 64 * 1024 * 1024,
  maxHeapMb: 96,
  timeoutMs: 15_000,
};

export interface PdfWorkerJob {
  bytes: Uint8Array;
  maxInflatedBytes: number;
}

export type PdfWorkerReply =
  | { kind: "done"; result: FacturXmlResult }
  | { kind: "inflate-limit" }
  | { kind: "failed"; message: string };

const refuse = (message: string, limit?: PdfLimitHit): FacturXmlResult => ({
  ok: false,
  problems: [{ path: "", message }],
  ...(limit ? { limit } : {}),
});

const MB = 1024 * 1024;

/*
 * One PDF at a time in the process: each reader may use its limits of
 * memory, and ten sent at once would use ten times them. Others wait their
 * turn; the time limit counts from a reader's start, not from the wait.
 */
let queue: Promise<unknown> = Promise.resolve();
let inFlight = 0;

/** PDF readers running now (0 or 1): for metrics and tests. */
export function pdfReadsInFlight(): number {
  return inFlight;
}

/** extractFacturXml, in a worker thread within `limits`, after the PDFs sent before it. */
export function extractFacturXmlIsolated(
  bytes: Uint8Array,
  limits: Partial<PdfLimits> = {},
): Promise<FacturXmlResult> {
  const run = queue.then(async () => {
    inFlight++;
    try {
      return await readInWorker(bytes, limits);
    } finally {
      inFlight--;
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

function readInWorker(bytes: Uint8Array, limits: Partial<PdfLimits>): Promise<FacturXmlResult> {
  const { maxInflatedBytes, maxHeapMb, timeoutMs } = { ...DEFAULT_PDF_LIMITS, ...limits };
  const job: PdfWorkerJob = { bytes, maxInflatedBytes };
  return new Promise((resolve) => {
    const worker = new Worker(workerEntry(import.meta.url, "factur-x-worker"), {
      workerData: job,
      resourceLimits: {
        maxOldGenerationSizeMb: maxHeapMb,
        maxYoungGenerationSizeMb: Math.max(4, Math.floor(maxHeapMb / 8)),
      },
    });
    let settled = false;
    const finish = (result: FacturXmlResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish(
          refuse(
            `reading the PDF took longer than ${timeoutMs / 1000} s, the limit for one file — it is not a usual Factur-X invoice; send its XML instead`,
            "time",
          ),
        ),
      timeoutMs,
    );
    worker.on("message", (reply: PdfWorkerReply) => {
      if (reply.kind === "done") finish(reply.result);
      else if (reply.kind === "inflate-limit")
        finish(
          refuse(
            `the PDF's compressed contents inflate to more than ${Math.round(maxInflatedBytes / MB)} MB, the limit for one file (a decompression bomb, or not an invoice) — send the invoice's XML instead`,
            "inflated-bytes",
          ),
        );
      else finish(refuse(`the PDF cannot be read: ${reply.message}`));
    });
    worker.on("error", (error: Error & { code?: string }) => {
      finish(
        refuse(
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? `reading the PDF needs more than ${maxHeapMb} MB of memory, the limit for one file — it is not a usual Factur-X invoice; send its XML instead`
            : `the PDF cannot be read: ${error.message}`,
          error.code === "ERR_WORKER_OUT_OF_MEMORY" ? "heap" : undefined,
        ),
      );
    });
    worker.on("exit", (code) => {
      finish(refuse(`the PDF reader stopped (exit code ${code}) before it answered`));
    });
  });
}
