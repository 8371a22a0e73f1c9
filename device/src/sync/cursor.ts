import { type FileHandle, open } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { lineSeq, listSegments, type Segment, segmentIndexFor } from "../ledger/segments.js";

/*
 * One read buffer per cursor, reused: the publisher follows the ledger's head
 * and calls fill() for every few new entries. A fresh 256 KiB Buffer per call
 * (about 1 KiB of it used) was garbage outside the JS heap that V8 collects
 * late: 20–30 MB of it in a shelf node's resident memory under 3 000 reads/s
 * (bench node-memory). The bytes are decoded to strings before the next read.
 */
const CHUNK = 64 * 1024;

export interface TakeLimits {
  /** Take no line whose seq is above this (the ledger's durable head). */
  until: number;
  maxEntries: number;
  /** Stop before this many bytes of lines, but always take at least one line. */
  maxBytes: number;
}

/**
 * Reads a ledger directory's stored lines forward from a seq, keeping its
 * place (file and byte offset) between calls. `Ledger.readLinesFrom()`
 * rescans a segment from its start on every call, which is fine once but
 * not for following the head as entries become durable; this keeps reading
 * where it stopped, and follows the ledger into a new segment.
 */
export class LedgerCursor {
  private segment: Segment | undefined;
  private file: FileHandle | undefined;
  private offset = 0;
  private decoder = new StringDecoder("utf8");
  private carry = "";
  private lines: string[] = [];
  private at = 0;
  private nextSeq = 1;
  private readonly buffer = Buffer.allocUnsafe(CHUNK);

  constructor(private readonly dir: string) {}

  /** The seq of the next line `take()` returns. */
  get next(): number {
    return this.nextSeq;
  }

  /**
   * Positions the cursor at `seq`. Returns the seq it really stands at: later
   * than asked when retention has removed the segment that held `seq`.
   */
  async seek(seq: number): Promise<number> {
    await this.closeFile();
    const segments = await listSegments(this.dir);
    const first = segments[0];
    this.nextSeq = first && first.firstSeq > seq ? first.firstSeq : seq;
    this.segment = segments[segmentIndexFor(segments, this.nextSeq)];
    return this.nextSeq;
  }

  /** The next stored lines, consecutive from `next`, within the limits. */
  async take(limits: TakeLimits): Promise<string[]> {
    const taken: string[] = [];
    let bytes = 0;
    while (taken.length < limits.maxEntries && this.nextSeq <= limits.until) {
      if (this.at >= this.lines.length && !(await this.fill())) break;
      const line = this.lines[this.at] as string;
      const seq = lineSeq(line);
      if (seq < this.nextSeq) {
        this.at++;
        continue;
      }
      if (seq !== this.nextSeq) {
        throw new Error(
          `the ledger in ${this.dir} holds seq ${seq} where seq ${this.nextSeq} was expected`,
        );
      }
      const size = Buffer.byteLength(line);
      if (taken.length > 0 && bytes + size > limits.maxBytes) break;
      taken.push(line);
      bytes += size;
      this.at++;
      this.nextSeq++;
    }
    return taken;
  }

  async close(): Promise<void> {
    await this.closeFile();
    this.segment = undefined;
  }

  /** Reads more complete lines; false when the files hold nothing more yet. */
  private async fill(): Promise<boolean> {
    this.lines = [];
    this.at = 0;
    for (;;) {
      if (!this.segment) {
        await this.nextSegment();
        if (!this.segment) return false;
      }
      this.file ??= await open((this.segment as Segment).path, "r");
      const buffer = this.buffer;
      const { bytesRead } = await this.file.read(buffer, 0, CHUNK, this.offset);
      if (bytesRead > 0) {
        this.offset += bytesRead;
        const parts = (this.carry + this.decoder.write(buffer.subarray(0, bytesRead))).split("\n");
        this.carry = parts.pop() ?? "";
        if (parts.length > 0) {
          this.lines = parts;
          return true;
        }
        continue;
      }
      // The end of this file: the next entry, once written, is in a newer segment.
      if (this.carry !== "" || !(await this.nextSegment())) return false;
    }
  }

  /** Moves to the segment that starts at the next seq, if the ledger has started it. */
  private async nextSegment(): Promise<boolean> {
    const segments = await listSegments(this.dir);
    const found = segments.find((segment) => segment.firstSeq === this.nextSeq);
    if (!found || found.path === this.segment?.path) {
      this.segment ??= segments[segmentIndexFor(segments, this.nextSeq)];
      return false;
    }
    await this.closeFile();
    this.segment = found;
    return true;
  }

  private async closeFile(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    this.offset = 0;
    this.decoder = new StringDecoder("utf8");
    this.carry = "";
    this.lines = [];
    this.at = 0;
    if (file) await file.close();
  }
}
