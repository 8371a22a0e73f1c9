import type { KeyObject } from "node:crypto";
import {
  ChainVerifier,
  type LedgerEntry,
  type Logger,
  parsePublicKey,
  silentLogger,
  type VerifyBroken,
} from "@comptoir/contracts";
import type { NodeRecord, Store } from "../store/store.js";
import { parseEnvelope } from "./envelope.js";
import { segmentProblem, signatureProblem, type Unauthentic } from "./segment.js";
import type { SegmentVerdict } from "./segment-verdict.js";

/** What to tell the node, and what happened, after one ledger batch. */
export type IngestOutcome =
  /** Stored (or already stored): the highest contiguous seq now held. */
  | { kind: "ack"; seq: number; stored: number }
  /** Entries before this seq are missing (a lost message): the node must resend from it. */
  | { kind: "resend"; from: number; reason: string }
  /** The chain is broken at `seq`; what came before it was stored, nothing after it ever is. */
  | { kind: "broken"; seq: number; reason: string; detail: string; ack: number; stored: number }
  /**
   * Nothing stored and no ack: unknown node, not a batch, or not authenticated by the node's
   * key. `broken`: the node's chain was marked broken earlier, told again. `corrupt`: an entry
   * does not match its own hash (issue 13, item 17: a redelivered entry is recomputed like a
   * new one), so the node's local copy is damaged there; the node is told, nothing is marked.
   */
  | { kind: "ignored"; reason: string; broken?: ChainFault; corrupt?: ChainFault };

/** Where and why a node's chain is unusable: what the node is told on its command topic. */
export interface ChainFault {
  seq: number;
  reason: string;
}

/**
 * Verified ingest of node ledgers. Per node: entries are checked against
 * the stored head (seq continuity, prev links, hashes) and the enrolled key
 * (checkpoint signatures), then stored and projected in one transaction.
 * Exactly once per node and seq: redelivered entries change nothing.
 */
export class Ingest {
  private readonly log: Logger;
  private readonly keys = new Map<string, KeyObject>();
  private readonly onBroken: ((node: string, broken: VerifyBroken) => void) | undefined;

  constructor(
    private readonly store: Store,
    options: { logger?: Logger; onBroken?: (node: string, broken: VerifyBroken) => void } = {},
  ) {
    this.log = (options.logger ?? silentLogger).child({ module: "ingest" });
    this.onBroken = options.onBroken;
  }

  /**
   * `verdict`: what another thread found of this very payload on its own terms
   * (segment-verdict.ts). When it says the batch is the node's and starts at
   * the stored head, the batch is stored without being verified again here.
   */
  handleBatch(nodeId: string, payload: string | Buffer, verdict?: SegmentVerdict): IngestOutcome {
    const node = this.store.node(nodeId);
    if (!node) return this.ignore(nodeId, "not enrolled");
    if (node.state === "broken" && node.broken) {
      const { seq, reason } = node.broken;
      return { ...this.ignore(nodeId, `chain broken at seq ${seq}`), broken: { seq, reason } };
    }
    const outcome = this.ingest(node, payload, verdict);
    // Any batch is a sign of life. One that stored entries moved last_seen in its own
    // transaction; anything else records it on its own, so that the common case commits
    // (and waits for the disk) once per batch, not twice.
    if (!(outcome.kind === "ack" && outcome.stored > 0)) this.store.touchNode(nodeId);
    return outcome;
  }

  private ingest(
    node: NodeRecord,
    payload: string | Buffer,
    verdict: SegmentVerdict | undefined,
  ): IngestOutcome {
    const nodeId = node.id;
    const envelope = parseEnvelope(payload);
    if (typeof envelope === "string") return this.ignore(nodeId, envelope);
    if (envelope.node !== nodeId)
      return this.ignore(nodeId, `the batch names node "${envelope.node}"`);
    if (verdict && continuesStoredHead(verdict, node, envelope.entries)) {
      const entries = envelope.entries as LedgerEntry[];
      const stored = this.store.appendEntries(nodeId, entries, verdict.dataJson);
      return { kind: "ack", seq: stored.seq, stored: entries.length };
    }
    // Before anything else: whoever can publish on the topic must not be able to append to a
    // chain, nor break it (see segment.ts for why the segment check comes only when needed).
    const { entries } = envelope;
    const unsigned = signatureProblem(nodeId, entries, envelope.sig, this.key(node.publicKey));
    if (unsigned) return this.refuse(nodeId, unsigned);
    let segmentChecked = false;
    const notTheNodes = (): Unauthentic | undefined => {
      if (segmentChecked) return undefined;
      segmentChecked = true;
      return segmentProblem(nodeId, entries);
    };
    const head = node.head;
    const redelivered = seqOf(entries[0]);
    if (redelivered !== undefined && redelivered <= head.seq) {
      const problem = notTheNodes();
      if (problem) return this.refuse(nodeId, problem);
    }

    const fresh: unknown[] = [];
    for (const item of entries) {
      const seq = seqOf(item);
      if (seq !== undefined && seq <= head.seq) {
        const forked = this.forkedAt(nodeId, item, seq);
        if (forked) return this.broken(nodeId, forked, { verified: [], dataJson: [] }, head.seq);
        continue; // redelivered: already stored, changes nothing
      }
      fresh.push(item);
    }
    if (fresh.length === 0) return { kind: "ack", seq: head.seq, stored: 0 };
    const first = seqOf(fresh[0]);
    if (first !== undefined && first > head.seq + 1) {
      return {
        kind: "resend",
        from: head.seq + 1,
        reason: `seq ${head.seq + 1}-${first - 1} did not arrive`,
      };
    }

    const verifier = new ChainVerifier({
      chain: nodeId,
      publicKey: this.key(node.publicKey),
      from: head,
    });
    const verified: LedgerEntry[] = [];
    // Each verified entry's data as canonical JSON when the verifier made it: stored as is.
    const dataJson: (string | undefined)[] = [];
    for (const item of fresh) {
      const before = verifier.verified;
      const broken = verifier.push(item);
      if (broken) {
        const problem = notTheNodes();
        return problem
          ? this.refuse(nodeId, problem)
          : this.broken(nodeId, broken, { verified, dataJson }, head.seq);
      }
      // Past a missing seq the verifier only looks ahead to tell a gap from disorder.
      // What it accepted passed LedgerEntrySchema inside it.
      if (verifier.verified > before) {
        const entry = item as LedgerEntry;
        verified.push(entry);
        const canonical = verifier.lastCanonicalData;
        dataJson.push(canonical.data === entry.data ? canonical.json : undefined);
      }
    }
    const end = verifier.finish();
    if (!end.ok) {
      const problem = notTheNodes();
      return problem
        ? this.refuse(nodeId, problem)
        : this.broken(nodeId, end, { verified, dataJson }, head.seq);
    }
    const stored = this.store.appendEntries(nodeId, verified, dataJson);
    return { kind: "ack", seq: stored.seq, stored: verified.length };
  }

  /** An entry at a seq already stored must be the very same entry, or history was rewritten. */
  private forkedAt(nodeId: string, item: unknown, seq: number): VerifyBroken | undefined {
    const hash = (item as { hash?: unknown }).hash;
    for (const stored of this.store.entries(nodeId, seq)) {
      if (stored.hash === hash) return undefined;
      return {
        ok: false,
        seq,
        reason: "bad hash",
        detail: `seq ${seq} differs from the entry stored earlier (${stored.hash})`,
        count: 0,
      };
    }
    return undefined;
  }

  private broken(
    nodeId: string,
    broken: VerifyBroken,
    before: { verified: LedgerEntry[]; dataJson: (string | undefined)[] },
    headSeq: number,
  ): IngestOutcome {
    const { verified, dataJson } = before;
    const ack =
      verified.length > 0 ? this.store.appendEntries(nodeId, verified, dataJson).seq : headSeq;
    this.store.markBroken(nodeId, broken.seq, broken.reason, broken.detail);
    this.log.error(
      { node: nodeId, seq: broken.seq, reason: broken.reason, detail: broken.detail },
      "node chain broken; nothing after it will be stored",
    );
    this.onBroken?.(nodeId, broken);
    return {
      kind: "broken",
      seq: broken.seq,
      reason: broken.reason,
      detail: broken.detail,
      ack,
      stored: verified.length,
    };
  }

  /** A batch that is not (or not wholly) the node's: nothing stored, the node not marked. */
  private refuse(nodeId: string, refused: Unauthentic): IngestOutcome {
    this.log.warn(
      { node: nodeId, problem: refused.problem, corrupt: refused.corrupt },
      refused.corrupt
        ? "ledger batch refused: an entry does not match its own hash (the node's local copy is damaged, or the batch was altered); nothing stored, the node is told"
        : "ledger batch refused: not authenticated by the node's enrolled key; nothing stored",
    );
    return {
      kind: "ignored",
      reason: `refused: ${refused.problem}`,
      ...(refused.corrupt ? { corrupt: refused.corrupt } : {}),
    };
  }

  private ignore(nodeId: string, reason: string): IngestOutcome & { kind: "ignored" } {
    this.log.warn({ node: nodeId, reason }, "ledger batch ignored");
    return { kind: "ignored", reason };
  }

  /** By key, not by node: a node whose key is rotated is checked against its new one. */
  private key(hex: string): KeyObject {
    let key = this.keys.get(hex);
    if (!key) {
      key = parsePublicKey(hex);
      this.keys.set(hex, key);
    }
    return key;
  }
}

/**
 * Whether a verdict makes a batch the next segment of the node's stored chain:
 * verified on its own terms with the key the node is enrolled with, starting
 * right after the stored head and linked to it. The entries' count and first
 * seq are compared too, so that a verdict is only ever taken for the batch it
 * was made from.
 */
function continuesStoredHead(
  verdict: SegmentVerdict,
  node: NodeRecord,
  entries: readonly unknown[],
): verdict is Extract<SegmentVerdict, { ok: true }> {
  return (
    verdict.ok &&
    verdict.key === node.publicKey &&
    verdict.first === node.head.seq + 1 &&
    verdict.prev === node.head.hash &&
    seqOf(entries[0]) === verdict.first &&
    entries.length === verdict.last - verdict.first + 1 &&
    verdict.dataJson.length === entries.length
  );
}

function seqOf(item: unknown): number | undefined {
  const seq = (item as { seq?: unknown } | null)?.seq;
  return typeof seq === "number" && Number.isInteger(seq) ? seq : undefined;
}
