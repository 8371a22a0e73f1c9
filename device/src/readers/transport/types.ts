import type { EventEmitter } from "node:events";

/** Why a transport closed: `disconnected` when the device or peer went away on its own. */
export interface TransportClosed {
  disconnected: boolean;
  reason?: string;
}

export interface TransportEvents {
  data: [chunk: Buffer];
  close: [closed: TransportClosed];
}

/**
 * A byte stream to one reader. `data` carries every received chunk in any
 * chunking; `close` fires exactly once, whether we closed it or it went away.
 */
export interface Transport extends EventEmitter<TransportEvents> {
  /** The reader URL it was opened from (for logs and errors). */
  readonly url: string;
  readonly isOpen: boolean;
  write(bytes: Uint8Array): Promise<void>;
  /** Closes it; resolves once closed. Safe to call twice. */
  close(): Promise<void>;
}

export type OpenFailure =
  | "not found"
  | "permission denied"
  | "locked"
  | "refused"
  | "unreachable"
  | "timeout"
  | "other";

/** A reader that could not be opened, with what to do about it in the message. */
export class ReaderOpenError extends Error {
  override name = "ReaderOpenError";
  constructor(
    message: string,
    readonly failure: OpenFailure,
  ) {
    super(message);
  }
}

/** A serialport binding: the operating system's, or MockBinding in tests. */
export type SerialBinding = import("@serialport/stream").OpenOptions["binding"];
