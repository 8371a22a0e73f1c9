import { once } from "node:events";
import type { RunningNode } from "@comptoir/device";
import type { ServiceNotifier } from "./notify.js";

type Reader = RunningNode["runtime"]["readers"][number];

/**
 * Resolves once no reader is still in its start-up dialogue: each one is
 * reading, or degraded (unplugged, refused, no answer: it is retried with
 * backoff and the node serves without it), or stopped. A reader that
 * neither answers nor fails within `capMs` does not hold the node's
 * readiness for ever: the status then says it is still starting.
 */
export async function readersSettled(
  readers: readonly Reader[],
  capMs: number,
  signal: AbortSignal,
): Promise<void> {
  const cap = AbortSignal.any([signal, AbortSignal.timeout(capMs)]);
  for (const reader of readers) {
    while (reader.state === "starting" && !cap.aborted)
      await once(reader, "state", { signal: cap }).catch(() => {});
  }
}

/** The line `systemctl status` shows for a node: its readers' states and its API. */
export function nodeStatus(node: RunningNode): string {
  const readers = node.runtime.readers.map(
    (reader) => `${reader.id} ${reader.state}${reader.detail ? ` (${reader.detail})` : ""}`,
  );
  return `${readers.length ? `readers: ${readers.join(", ")}` : "no readers"}; local API at ${node.url}`;
}

/**
 * A reader silent at start (no answer, no error) holds READY this long at
 * most; well inside the units' TimeoutStartSec, so systemd does not kill a
 * node that serves.
 */
const READERS_CAP_MS = 30_000;

/**
 * Tells systemd the node is ready once it really is: startNode resolved
 * after the ledger was verified and the local API listens; then each reader
 * has opened or is degraded. Reader changes update the status line after.
 */
export async function announceNodeReady(
  node: RunningNode,
  systemd: ServiceNotifier,
  stopped: Promise<unknown>,
): Promise<void> {
  if (!systemd.enabled) return;
  const stop = new AbortController();
  void stopped.then(() => stop.abort());
  await readersSettled(node.runtime.readers, READERS_CAP_MS, stop.signal);
  if (stop.signal.aborted) return;
  let said = nodeStatus(node);
  systemd.ready(`ready; ${said}`);
  for (const reader of node.runtime.readers)
    reader.on("state", (change) => {
      // An unplugged reader retries every few seconds: "starting" then "degraded" again.
      // Only a settled state is news, and the same line twice is not.
      if (change.state === "starting") return;
      const now = nodeStatus(node);
      if (now !== said) systemd.status(`running; ${now}`);
      said = now;
    });
}
