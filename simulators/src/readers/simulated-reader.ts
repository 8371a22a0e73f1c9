import { type Logger, silentLogger } from "@comptoir/contracts";
import type { ProtocolName } from "./device.js";
import { type SimRead, TagField } from "./field.js";
import { type HostAction, type Personality, personality } from "./personality.js";
import { seeded } from "./random.js";
import { fieldTags, type Scenario } from "./scenario.js";

/** Faults to inject in what the simulated reader sends. Probabilities are per tag record. */
export interface NoiseOptions {
  /** Random bytes (1–8) before a record. */
  garbage?: number;
  /** A record with one byte changed: its checksum no longer matches. The read is lost. */
  badChecksum?: number;
  /** Every write cut into pieces of 1–7 bytes, sent separately. */
  split?: boolean;
  /** Drop the connection once after this many records (an unplugged cable). */
  disconnectAfter?: number;
}

/** Where a simulated reader takes its reads from: a scenario's `TagField`, or a live one. */
export interface ReadSource {
  /** Reads due at `t` ms since the reader started, at most `max`, on `antenna` only when given. */
  due(t: number, max: number, antenna?: number): SimRead[];
}

export interface SimulatedReaderOptions {
  protocol: ProtocolName;
  /** The tags in the field; a random population of `population` tags when absent. */
  scenario?: Scenario;
  /** A field that changes while the reader runs (a simulated site moves goods); overrides `scenario`. */
  field?: ReadSource;
  /** Size of the random population without a scenario. Default 20. */
  population?: number;
  /** Most tag records per second the reader sends (the link's cap). Default 200. */
  rate?: number;
  noise?: NoiseOptions;
  seed?: number;
  /** Where the reader's bytes go. */
  send: (bytes: Uint8Array) => void;
  /** Whether the sink can take more now (TCP back-pressure); records wait while it cannot. */
  writable?: () => boolean;
  /** Called when a `disconnectAfter` fault fires. */
  disconnect?: () => void;
  logger?: Logger;
  now?: () => number;
}

const TICK_MS = 10;
/** The shortest R2000 round when no tag answered: an inventory takes time even with none. */
const EMPTY_ROUND_MS = 25;
/** Most tags an R2000 reports in one round. */
const ROUND_MAX = 256;

/**
 * A reader that speaks its real byte protocol: it answers the start-up
 * commands, then streams tag records from a scenario at a capped rate.
 * Feed it the host's bytes with `receive`; it sends through `options.send`.
 */
export class SimulatedReader {
  readonly personality: Personality;
  readonly field: ReadSource;
  readonly stats = { records: 0, rounds: 0, garbage: 0, corrupted: 0 };
  readonly #options: SimulatedReaderOptions;
  readonly #random: () => number;
  readonly #rate: number;
  readonly #log: Logger;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #streaming = false;
  #startedAt = 0;
  #lastTick = 0;
  #budget = 0;
  #lastRecordAt = 0;
  #antenna = 1;
  #round:
    | { antenna: number; cmd: number; reads: SimRead[]; sent: number; startedAt: number }
    | undefined;
  #disconnected = false;
  #closed = false;

  constructor(options: SimulatedReaderOptions) {
    this.#options = options;
    this.#random = seeded(options.seed ?? options.scenario?.seed ?? 1);
    this.#rate = options.rate ?? 200;
    this.#log = (options.logger ?? silentLogger).child({ module: `sim:${options.protocol}` });
    this.#now = options.now ?? (() => performance.now());
    this.personality = personality(options.protocol);
    const scenario: Scenario = options.scenario ?? {
      loop: false,
      seed: options.seed ?? 1,
      items: [],
      populations: [
        {
          count: options.population ?? 20,
          firstSerial: 1,
          companyPrefixDigits: 7,
          filter: 1,
          antennas: [1],
          from: 0,
          rate: 4,
          rssi: -60,
        },
      ],
    };
    this.field =
      options.field ?? new TagField(fieldTags(scenario, this.#random), this.#random, scenario.loop);
    if (this.personality.mode === "always") this.#startStreaming();
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
  }

  /** Bytes from the host. */
  receive(chunk: Uint8Array): void {
    if (this.#closed) return;
    let actions: HostAction[];
    try {
      actions = this.personality.host(chunk);
    } catch (error) {
      this.#log.warn({ err: error }, "host bytes not understood");
      return;
    }
    for (const action of actions) this.#act(action);
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  get streaming(): boolean {
    return this.#streaming;
  }

  #act(action: HostAction): void {
    switch (action.kind) {
      case "reply":
        this.#send(action.bytes);
        return;
      case "start":
        this.#startStreaming();
        return;
      case "stop":
        this.#streaming = false;
        this.#send(action.ack);
        return;
      case "antenna":
        this.#antenna = action.antenna;
        return;
      case "round": {
        if (!this.#streaming) this.#startStreaming();
        const t = this.#now() - this.#startedAt;
        const reads = this.field.due(t, ROUND_MAX, this.#antenna);
        this.#round = {
          antenna: this.#antenna,
          cmd: action.cmd,
          reads,
          sent: 0,
          startedAt: this.#now(),
        };
        this.stats.rounds++;
        return;
      }
    }
  }

  #startStreaming(): void {
    if (this.#streaming) return;
    this.#streaming = true;
    if (this.#startedAt === 0) this.#startedAt = this.#now();
    this.#lastTick = this.#now();
    this.#lastRecordAt = this.#now();
    this.#budget = 0;
  }

  #tick(): void {
    if (this.#closed || this.#disconnected || !this.#streaming) return;
    const now = this.#now();
    const elapsed = now - this.#lastTick;
    this.#lastTick = now;
    if (this.#options.writable && !this.#options.writable()) return;
    // The link's cap: at most `rate` records a second, never more than half a second's worth at once.
    this.#budget = Math.min(
      this.#budget + (elapsed * this.#rate) / 1000,
      Math.max(1, this.#rate / 2),
    );
    const max = Math.floor(this.#budget);
    if (this.personality.mode === "rounds") {
      this.#tickRound(now, max);
      return;
    }
    const reads = this.field.due(now - this.#startedAt, max);
    this.#budget -= reads.length;
    if (reads.length > 0) {
      this.#sendReads(reads);
      this.#lastRecordAt = now;
    } else if (this.personality.keepAlive && now - this.#lastRecordAt >= 1000) {
      this.#send(this.personality.keepAlive());
      this.#lastRecordAt = now;
    }
  }

  #tickRound(now: number, max: number): void {
    const round = this.#round;
    if (!round) return;
    const batch = round.reads.slice(round.sent, round.sent + max);
    round.sent += batch.length;
    this.#budget -= batch.length;
    if (batch.length > 0) this.#sendReads(batch);
    if (round.sent < round.reads.length) return;
    if (round.reads.length === 0 && now - round.startedAt < EMPTY_ROUND_MS) return;
    this.#round = undefined;
    const seconds = Math.max(0.001, (now - round.startedAt) / 1000);
    const end = this.personality.roundEnd?.(
      round.antenna,
      round.reads.length,
      Math.min(0xffff, Math.round(round.reads.length / seconds)),
      round.cmd,
    );
    if (end) this.#send(end);
  }

  #sendReads(reads: SimRead[]): void {
    const noise = this.#options.noise ?? {};
    const parts: Uint8Array[] = [];
    for (const read of reads) {
      if (this.#disconnected) break;
      if (noise.garbage && this.#random() < noise.garbage) {
        const junk = new Uint8Array(1 + Math.floor(this.#random() * 8));
        for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(this.#random() * 256);
        parts.push(junk);
        this.stats.garbage++;
      }
      let record: Uint8Array;
      try {
        record = this.personality.tag(read);
      } catch (error) {
        this.#log.warn({ err: error, epc: read.epc }, "cannot encode this tag for this protocol");
        continue;
      }
      if (noise.badChecksum && this.#random() < noise.badChecksum) {
        record = Uint8Array.from(record);
        // Change a byte inside the record, away from the start byte, so the framer sees a bad check.
        const at = Math.max(1, record.length - 2 - Math.floor(this.#random() * 3));
        record[at] = (record[at] as number) ^ 0x04;
        this.stats.corrupted++;
      } else {
        this.stats.records++;
      }
      parts.push(record);
      if (noise.disconnectAfter !== undefined && this.stats.records >= noise.disconnectAfter) {
        this.#send(concat(parts));
        this.#disconnected = true;
        this.#log.info({ records: this.stats.records }, "injected disconnect");
        this.#options.disconnect?.();
        return;
      }
    }
    this.#send(concat(parts));
  }

  #send(bytes: Uint8Array): void {
    if (bytes.length === 0 || this.#closed) return;
    if (!this.#options.noise?.split) {
      this.#options.send(bytes);
      return;
    }
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(this.#random() * 7);
      this.#options.send(bytes.subarray(at, at + size));
      at += size;
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  return Buffer.concat(parts);
}
