import type { KeyObject } from "node:crypto";
import { GENESIS_PREV } from "../hash.js";
import { describeProblem, toProblems } from "../issues.js";
import {
  type CanonicalData,
  canonicalBodyHash,
  readCanonicalLine,
  type ValidatedFields,
} from "./canonical-line.js";
import { checkpointSignatureValid } from "./checkpoint.js";
import { entryHash } from "./entry.js";
import { parsePublicKey, publicKeyHex } from "./keys.js";
import {
  CHECKPOINT_TYPE,
  ChainIdSchema,
  CheckpointDataSchema,
  EntryTypeSchema,
  IsoUtcSchema,
  type LedgerEntry,
  LedgerEntrySchema,
} from "./schema.js";

export type VerifyReason =
  | "malformed"
  | "bad hash"
  | "broken link"
  | "gap"
  | "duplicate"
  | "out of order"
  | "bad signature"
  | "signed by another key"
  | "truncated";

export interface ChainPoint {
  seq: number;
  hash: string;
}

export interface VerifyOptions {
  /** The chain the entries must belong to; by default the first entry's. */
  chain?: string;
  /** The key every checkpoint must be signed with; by default the first checkpoint's. */
  publicKey?: KeyObject;
  /** A checkpoint trusted from earlier: the chain must reach it with this very hash. */
  known?: ChainPoint;
  /** Start after this trusted point instead of at genesis (seq 0, 64 zeros). */
  from?: ChainPoint;
  /** How far past a missing seq to look for it before calling it a gap rather than out of order. */
  lookahead?: number;
}

export interface VerifyOk {
  ok: true;
  /** Entries verified in this run. */
  count: number;
  head: ChainPoint;
}

export interface VerifyBroken {
  ok: false;
  /** The first seq that is wrong: the entry that fails, or the one that is missing. */
  seq: number;
  reason: VerifyReason;
  detail: string;
  count: number;
}

export type VerifyResult = VerifyOk | VerifyBroken;

/** Verifies a whole sequence of entries (objects or stored JSON lines). */
export function verify(entries: Iterable<unknown>, options: VerifyOptions = {}): VerifyResult {
  const verifier = new ChainVerifier(options);
  for (const item of entries) {
    const broken = verifier.push(item);
    if (broken) return broken;
  }
  return verifier.finish();
}

interface PendingGap {
  expected: number;
  found: number;
  remaining: number;
}

/**
 * Incremental verification, one entry at a time, so that ledgers larger
 * than memory stream through it. `push` returns the failure as soon as it
 * is certain; `finish` settles what the end of the input decides.
 */
export class ChainVerifier {
  private readonly options: VerifyOptions;
  private chain: string | undefined;
  private head: ChainPoint;
  private count = 0;
  private signerHex: string | undefined;
  private readonly signerKeys = new Map<string, KeyObject>();
  private pendingGap: PendingGap | undefined;
  private readonly validTypes = new Set<string>();
  private lastValidTs: string | undefined;
  /** How this chain's stored lines begin, once the chain is known (see `storedLineHead`). */
  private lineHead: { chain: string; head: string | undefined } | undefined;
  private failure: VerifyBroken | undefined;

  constructor(options: VerifyOptions = {}) {
    this.options = options;
    this.chain = options.chain;
    this.head = options.from ? { ...options.from } : { seq: 0, hash: GENESIS_PREV };
    if (options.publicKey) {
      this.signerHex = publicKeyHex(options.publicKey);
      this.signerKeys.set(this.signerHex, options.publicKey);
    }
  }

  /**
   * The canonical JSON of the `data` last hashed on the fast path for parsed entries,
   * and that data: whoever stores an entry whose `data` is this very value can store
   * this JSON instead of stringifying it again (the gateway's ingest does).
   */
  readonly lastCanonicalData: CanonicalData = { data: undefined, json: undefined };

  get verified(): number {
    return this.count;
  }

  push(item: unknown): VerifyBroken | undefined {
    if (this.failure) return this.failure;
    if (typeof item === "string" ? this.acceptedFast(item) : this.acceptedFastObject(item))
      return undefined;
    const expected = this.head.seq + 1;
    const parsed = parseEntry(item);
    if (this.pendingGap) return this.lookForMissing(parsed);
    if (typeof parsed === "string") return this.fail(expected, "malformed", parsed);
    const entry = parsed;

    this.chain ??= entry.chain;
    if (entry.chain !== this.chain) {
      return this.fail(
        expected,
        "broken link",
        `an entry of chain "${entry.chain}" (its seq ${entry.seq}) stands where seq ${expected} of chain "${this.chain}" belongs`,
      );
    }
    if (entry.seq < expected) {
      return this.fail(
        entry.seq,
        "duplicate",
        `seq ${entry.seq} appears again after seq ${this.head.seq}`,
      );
    }
    if (entry.seq > expected) {
      this.pendingGap = {
        expected,
        found: entry.seq,
        remaining: this.options.lookahead ?? 10_000,
      };
      return undefined;
    }
    const wrong = this.checkEntry(entry);
    if (wrong) return wrong;
    this.head = { seq: entry.seq, hash: entry.hash };
    this.count++;
    return undefined;
  }

  finish(): VerifyResult {
    if (this.failure) return this.failure;
    if (this.pendingGap) return this.gap(this.pendingGap);
    const known = this.options.known;
    if (known && this.head.seq < known.seq) {
      return this.fail(
        this.head.seq + 1,
        "truncated",
        `the chain ends at seq ${this.head.seq}, before the known checkpoint at seq ${known.seq}`,
      );
    }
    return { ok: true, count: this.count, head: { ...this.head } };
  }

  /**
   * The common case, cheaply: a canonical stored line that is the next entry
   * of the chain, read in one scan without JSON.parse (readCanonicalLine).
   * Equality with values already validated (chain, prev, seq) stands in for
   * their schema checks; anything unusual — a first entry, a checkpoint, a
   * known point, a line not in canonical form, any mismatch — returns false
   * and goes through the full checks, which name the problem.
   */
  private acceptedFast(item: string): boolean {
    if (this.pendingGap) return false;
    const head = this.storedLineHead();
    const seq = this.head.seq + 1;
    if (head === undefined || !Number.isSafeInteger(seq) || this.options.known?.seq === seq)
      return false;
    const line = item.endsWith("\n") ? item.slice(0, -1) : item;
    const stored = readCanonicalLine(line, head, this.head.hash, seq);
    if (!stored || stored.type === CHECKPOINT_TYPE || !this.validTypeAndTs(stored.type, stored.ts))
      return false;
    const { ts, type } = stored;
    const fields = { chain: this.chain as string, prev: this.head.hash, seq, ts, type };
    return this.advance(fields, stored.hash, stored.bodyHash);
  }

  /**
   * `{"chain":"<chain>","data":`, the start of every canonical line of this
   * chain, once the chain is known; undefined for a chain id that is not
   * valid (given in the options), whose lines the full checks must judge.
   */
  private storedLineHead(): string | undefined {
    const chain = this.chain;
    if (chain === undefined) return undefined;
    if (this.lineHead?.chain !== chain) {
      const valid = ChainIdSchema.safeParse(chain).success;
      this.lineHead = { chain, head: valid ? `{"chain":"${chain}","data":` : undefined };
    }
    return this.lineHead.head;
  }

  /**
   * The same for an entry that arrived as a parsed object (a node's batch
   * over MQTT): exactly the seven members of an entry (what the strict
   * schema demands), the next seq and links, and a hash that matches the
   * canonical body, computed without re-canonicalising data already in
   * canonical order. Anything else takes the full checks.
   */
  private acceptedFastObject(item: unknown): boolean {
    if (this.pendingGap || this.chain === undefined) return false;
    if (item === null || typeof item !== "object" || Array.isArray(item)) return false;
    // A plain object (as JSON.parse makes), so that no member can come from a prototype.
    const proto = Object.getPrototypeOf(item);
    if (proto !== Object.prototype && proto !== null) return false;
    const entry = item as Record<string, unknown>;
    // Seven own members, and nextFields and the hash comparison below find six of them
    // defined by name: the seventh is data, and there is nothing else.
    if (Object.keys(entry).length !== 7 || entry.data === undefined) return false;
    const fields = this.nextFields(entry);
    if (!fields) return false;
    return this.advance(
      fields,
      entry.hash,
      canonicalBodyHash(fields, entry.data, this.lastCanonicalData),
    );
  }

  /** An entry's fixed members when they make it the plain next entry of the chain, else undefined. */
  private nextFields(entry: Record<string, unknown>): ValidatedFields | undefined {
    const { seq, ts, type, prev, chain } = entry;
    // Equal to values already validated, so valid themselves.
    if (seq !== this.head.seq + 1 || prev !== this.head.hash || chain !== this.chain)
      return undefined;
    if (type === CHECKPOINT_TYPE || this.options.known?.seq === seq) return undefined;
    if (typeof type !== "string" || typeof ts !== "string" || typeof chain !== "string")
      return undefined;
    if (!this.validTypeAndTs(type, ts)) return undefined;
    return { chain, prev: this.head.hash, seq: seq as number, ts, type };
  }

  /** Whether type and ts pass their schemas, remembering the answers that recur. */
  private validTypeAndTs(type: string, ts: string): boolean {
    if (!this.validTypes.has(type)) {
      if (!EntryTypeSchema.safeParse(type).success) return false;
      this.validTypes.add(type);
    }
    // Entries appended together share their timestamp: validate each one once.
    if (ts !== this.lastValidTs) {
      if (!IsoUtcSchema.safeParse(ts).success) return false;
      this.lastValidTs = ts;
    }
    return true;
  }

  /** Moves the head when the computed canonical hash is the entry's own. */
  private advance(fields: ValidatedFields, hash: unknown, computed: string | undefined): boolean {
    if (computed === undefined || computed !== hash) return false;
    this.head = { seq: fields.seq, hash: computed };
    this.count++;
    return true;
  }

  private checkEntry(entry: LedgerEntry): VerifyBroken | undefined {
    let computed: string;
    try {
      computed = entryHash(entry);
    } catch (error) {
      return this.fail(
        entry.seq,
        "malformed",
        `data cannot be canonicalised: ${(error as Error).message}`,
      );
    }
    if (computed !== entry.hash) {
      return this.fail(
        entry.seq,
        "bad hash",
        `stored hash ${entry.hash}, content hashes to ${computed}`,
      );
    }
    if (entry.prev !== this.head.hash) {
      return this.fail(
        entry.seq,
        "broken link",
        `prev is ${entry.prev}, but seq ${this.head.seq} has hash ${this.head.hash}`,
      );
    }
    const known = this.options.known;
    if (known && known.seq === entry.seq && known.hash !== entry.hash) {
      return this.fail(
        entry.seq,
        "bad hash",
        `hash ${entry.hash} differs from the known checkpoint's ${known.hash}`,
      );
    }
    if (entry.type === CHECKPOINT_TYPE) return this.checkCheckpoint(entry);
    return undefined;
  }

  private checkCheckpoint(entry: LedgerEntry): VerifyBroken | undefined {
    const parsed = CheckpointDataSchema.safeParse(entry.data);
    if (!parsed.success) {
      return this.fail(
        entry.seq,
        "malformed",
        `checkpoint data: ${firstIssue(parsed.error.issues)}`,
      );
    }
    const data = parsed.data;
    if (data.seq !== this.head.seq || data.hash !== this.head.hash) {
      return this.fail(
        entry.seq,
        "bad signature",
        `the checkpoint attests seq ${data.seq} with hash ${data.hash}, not the entry before it`,
      );
    }
    this.signerHex ??= data.key;
    if (data.key !== this.signerHex) {
      return this.fail(
        entry.seq,
        "signed by another key",
        `signed by key ${data.key}, expected ${this.signerHex}`,
      );
    }
    if (!checkpointSignatureValid(entry.chain, data, this.keyObject(data.key))) {
      return this.fail(entry.seq, "bad signature", `the signature does not match key ${data.key}`);
    }
    return undefined;
  }

  private lookForMissing(parsed: LedgerEntry | string): VerifyBroken | undefined {
    const pending = this.pendingGap as PendingGap;
    if (typeof parsed !== "string" && parsed.seq === pending.expected) {
      return this.fail(
        pending.expected,
        "out of order",
        `seq ${pending.found} comes before seq ${pending.expected}`,
      );
    }
    pending.remaining--;
    return pending.remaining <= 0 ? this.gap(pending) : undefined;
  }

  private gap(pending: PendingGap): VerifyBroken {
    const missing =
      pending.found - pending.expected === 1
        ? `seq ${pending.expected} is missing`
        : `seqs ${pending.expected}-${pending.found - 1} are missing`;
    return this.fail(
      pending.expected,
      "gap",
      `${missing}: seq ${pending.found} follows seq ${pending.expected - 1}`,
    );
  }

  private keyObject(hex: string): KeyObject {
    let key = this.signerKeys.get(hex);
    if (!key) {
      key = parsePublicKey(hex);
      this.signerKeys.set(hex, key);
    }
    return key;
  }

  private fail(seq: number, reason: VerifyReason, detail: string): VerifyBroken {
    this.failure = { ok: false, seq, reason, detail, count: this.count };
    return this.failure;
  }
}

/** A parsed, schema-checked entry, or what is wrong with the item. */
function parseEntry(item: unknown): LedgerEntry | string {
  let value = item;
  if (typeof item === "string") {
    try {
      value = JSON.parse(item);
    } catch {
      return "not valid JSON";
    }
  }
  const parsed = LedgerEntrySchema.safeParse(value);
  return parsed.success ? parsed.data : firstIssue(parsed.error.issues);
}

function firstIssue(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const [problem] = toProblems(issues);
  return problem ? describeProblem(problem) : "invalid";
}
