import type { RunningNode } from "@comptoir/device";

/**
 * `count` items received onto `shelf`, appended by the node itself to its own
 * ledger (so its own sync sends them), each tag named after its entry's seq.
 */
export async function appendReceipts(node: RunningNode, count: number, shelf = "shelf-a") {
  for (let i = 0; i < count; i++)
    await node.runtime.ledger.append("movement", {
      epc: `3034257BF7194E40000000${(node.runtime.ledger.head.seq + 1).toString(16).padStart(2, "0").toUpperCase()}`,
      sku: "SKU-1",
      kind: "receive",
      from: null,
      to: shelf,
      reader: "shelf",
      antennas: [1],
      reads: 3,
      at: new Date().toISOString(),
    });
}
