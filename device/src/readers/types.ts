/**
 * What every reader protocol provides. A protocol is bytes in, messages out
 * (an incremental decoder), plus the host commands of its start-up dialogue.
 * The transport (serial, TCP, mock) and the session that drives the dialogue
 * know nothing of any one protocol.
 */

export type ProtocolName = "thingmagic" | "r2000" | "em4100" | "line";

/** One tag observation, as the reader reported it. */
export interface TagReport {
  /** Upper-case hex: the EPC for UHF readers, the 10-digit card id for EM4100. */
  epc: string;
  /** 1-based antenna (or reader port) number; 1 when the reader has only one. */
  antenna: number;
  /** Received signal strength in dBm, when the reader reports it. */
  rssi?: number;
  /** Carrier frequency in kHz, when reported. */
  frequency?: number;
  /** The reader's own timestamp in ms, when reported (its clock, not ours). */
  readerTime?: number;
  /** Gen2 protocol-control word in hex, when reported. */
  pc?: string;
}

/** Why bytes were skipped. Counted per decoder; decoding resynchronises after each. */
export type SkipReason = "garbage" | "bad checksum" | "bad length" | "truncated" | "unknown frame";

export const SKIP_REASONS: readonly SkipReason[] = [
  "garbage",
  "bad checksum",
  "bad length",
  "truncated",
  "unknown frame",
];

export type ReaderMessage =
  /** A tag record. */
  | { kind: "tag"; tag: TagReport }
  /** The reader's answer to a host command: its opcode, status (0 = success) and payload. */
  | { kind: "reply"; command: number; status: number; payload: Uint8Array }
  /** The end of an inventory round (R2000 real-time inventory), with its summary payload. */
  | { kind: "round-end"; command: number; payload: Uint8Array }
  /** An error the reader reported outside a reply (e.g. antenna missing, over temperature). */
  | { kind: "error"; command: number; status: number; message: string };

export interface ProtocolDecoder {
  /** Feeds bytes in any chunking; returns the messages that these bytes completed, in order. */
  push(chunk: Uint8Array): ReaderMessage[];
  /** Frames or bytes skipped so far, by reason. Bounded memory whatever the input. */
  readonly skipped: Readonly<Record<SkipReason, number>>;
}

export interface ReaderSettings {
  /** Region code as the config names it ("EU", "NA", ...). */
  region?: string;
  /** Read power in dBm. */
  power?: number;
  /** The antenna ports to read on (from the config's antennas[].port). */
  antennas: number[];
}

/** One command of the start-up dialogue and how to recognise its answer. */
export interface StartupStep {
  /** For logs and errors: "set region", "start continuous read". */
  name: string;
  bytes: Uint8Array;
  /** "done" when this message answers the step, "failed" (with why) when it refuses it, undefined to keep waiting. */
  answer(message: ReaderMessage): "done" | { failed: string } | undefined;
  timeoutMs: number;
}

export interface ReaderProtocol {
  name: ProtocolName;
  /** The baud rate the reader uses out of the box. */
  defaultBaud: number;
  createDecoder(): ProtocolDecoder;
  /** The start-up dialogue, in order; empty for readers that stream on power-up (EM4100, line). */
  startup(settings: ReaderSettings): StartupStep[];
  /** Bytes to send after a message for reading to continue (R2000 re-sends 0x89 after each round). */
  continueAfter?(message: ReaderMessage, settings: ReaderSettings): Uint8Array | undefined;
  /** Bytes that stop reading, sent before closing; none for stream-only readers. */
  stop?(): Uint8Array;
}
