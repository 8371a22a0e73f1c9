import { GENESIS_PREV } from "../../hash.js";
import { signCheckpoint } from "../checkpoint.js";
import { entryHash, entryLine, sealEntry } from "../entry.js";
import type { ChainIdentity } from "../keys.js";
import { CHECKPOINT_TYPE, type LedgerEntry } from "../schema.js";

/**
 * Seals entries one after another on `chain`, each linked to the one before, as
 * a node's ledger does, for tests that build a chain by hand. `ts` may be worked
 * out from the entry's seq.
 */
export function chainSealer(chain: string) {
  let head = { seq: 0, hash: GENESIS_PREV };
  return {
    seal(type: string, data: unknown, ts: string | ((seq: number) => string)): LedgerEntry {
      const seq = head.seq + 1;
      const at = typeof ts === "string" ? ts : ts(seq);
      const { entry } = sealEntry({ seq, ts: at, chain, type, data, prev: head.hash });
      head = { seq, hash: entry.hash };
      return entry;
    },
    /** The last entry's seq and hash (seq 0 and the genesis hash before any). */
    head: () => head,
  };
}

/** The time of entry `seq` in the chains tests build: a second apart from 2026-11-22 08:00 UTC. */
export const testEntryTime = (seq: number): string =>
  new Date(Date.UTC(2026, 10, 22, 8, 0, seq)).toISOString();

/**
 * Builds a valid chain in memory for tests: `count` sales and movements,
 * with a signed checkpoint after every `checkpointEvery` of them.
 */
export function buildChain(
  chain: string,
  identity: ChainIdentity,
  count: number,
  checkpointEvery = 10,
): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  const sealer = chainSealer(chain);
  const push = (type: string, data: unknown) =>
    entries.push(sealer.seal(type, data, testEntryTime));
  for (let i = 1; i <= count; i++) {
    if (i % 3 === 0)
      push("sale", {
        customer: "C-1042",
        amount: { amount: 1000 + i, currency: "EUR" },
        epc: epc(i),
      });
    else
      push("movement", {
        epc: epc(i),
        kind: "putaway",
        from: "dock-1",
        to: "shelf-a3",
        by: "opérateur",
      });
    if (i % checkpointEvery === 0)
      push(CHECKPOINT_TYPE, signCheckpoint(identity, { chain, ...sealer.head() }));
  }
  return entries;
}

/** Recomputes an edited entry's own hash, as a tamperer covering their tracks would. */
export function rehash(entry: LedgerEntry): LedgerEntry {
  entry.hash = entryHash(entry);
  return entry;
}

/** Recomputes hashes and links from `from` on, so that only what a signature covers can give it away. */
export function relink(entries: LedgerEntry[], from: number): void {
  for (let i = from; i < entries.length; i++) {
    const entry = entries[i] as LedgerEntry;
    if (i > 0) entry.prev = (entries[i - 1] as LedgerEntry).hash;
    rehash(entry);
  }
}

export function toLines(entries: readonly LedgerEntry[]): string[] {
  return entries.map((entry) => entryLine(entry));
}

function epc(i: number): string {
  return `3034257BF7194E40${i.toString(16).toUpperCase().padStart(8, "0")}`;
}
