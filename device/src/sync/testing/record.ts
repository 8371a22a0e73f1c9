import { siteTopics } from "@comptoir/contracts";
import type { Aedes } from "aedes";

export interface SeenBatch {
  first: number;
  last: number;
  bytes: number;
  entries: number;
}

/** Every ledger batch the broker receives from `node`, in order of arrival. */
export function recordBatches(aedes: Aedes, site: string, node: string): SeenBatch[] {
  const seen: SeenBatch[] = [];
  const topic = siteTopics(site).nodeLedger(node);
  aedes.on("publish", (packet) => {
    if (packet.topic !== topic) return;
    const payload = Buffer.isBuffer(packet.payload)
      ? packet.payload
      : Buffer.from(packet.payload as string);
    const { entries } = JSON.parse(payload.toString("utf8")) as { entries: { seq: number }[] };
    seen.push({
      first: entries[0]?.seq ?? 0,
      last: entries.at(-1)?.seq ?? 0,
      bytes: payload.length,
      entries: entries.length,
    });
  });
  return seen;
}

/** Resolves once `test` holds, checking every few milliseconds (the test's timeout bounds it). */
export async function eventually(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => setTimeout(resolve, 5));
}
