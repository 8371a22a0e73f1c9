import { parentPort, workerData } from "node:worker_threads";
import { extractFacturXml } from "./factur-x-pdf.js";
import { InflateLimitError, limitInflation } from "./inflate-budget.js";
import type { PdfWorkerJob, PdfWorkerReply } from "./pdf-limits.js";

/**
 * A worker thread that reads one Factur-X PDF: pdf-lib runs here, with the
 * thread's heap limit and an inflation budget, so a crafted PDF can cost
 * this thread its life but never the gateway's memory or event loop.
 */
const job = workerData as PdfWorkerJob;
const budget = limitInflation(job.maxInflatedBytes);
let reply: PdfWorkerReply;
try {
  const result = await extractFacturXml(job.bytes);
  // pdf-lib turns the budget's error into "invalid object": the budget itself tells.
  reply = budget.exceeded ? { kind: "inflate-limit" } : { kind: "done", result };
} catch (error) {
  reply =
    error instanceof InflateLimitError || budget.exceeded
      ? { kind: "inflate-limit" }
      : { kind: "failed", message: error instanceof Error ? error.message : String(error) };
}
parentPort?.postMessage(reply);
