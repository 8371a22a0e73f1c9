import type { Logger, ReaderStateSchema } from "@comptoir/contracts";
import type { z } from "zod";
import type { Read } from "./identity.js";
import type { BackoffOptions } from "./session-backoff.js";
import type { OpenTransport, SerialBinding } from "./transport/index.js";
import type { ReaderMessage, ReaderProtocol, ReaderSettings } from "./types.js";

export type ReaderState = z.infer<typeof ReaderStateSchema>["state"];

export interface ReaderStateChange {
  id: string;
  state: ReaderState;
  /** What happened and what to do, for `degraded` (one line). */
  detail?: string;
  /** The error behind a `degraded` state, when there is one. */
  error?: Error;
}

export interface ReaderSessionOptions {
  /** The reader's id from the config; names the logger (`reader:<id>`) and the state. */
  id: string;
  protocol: ReaderProtocol;
  /** serial:///dev/...?baud=N or tcp://host:port */
  url: string;
  settings?: ReaderSettings;
  logger?: Logger;
  /** serialport binding for serial URLs: the system's by default, MockBinding in tests. */
  binding?: SerialBinding;
  /** Replaces how the URL is opened (tests, in-process simulators). */
  open?: OpenTransport;
  backoff?: Partial<BackoffOptions>;
  /**
   * With bytes arriving but not one valid frame decoded for this long, the
   * reader is reported degraded: wrong baud rate or protocol. Default 5 s.
   */
  noFrameTimeoutMs?: number;
  /**
   * For readers that need continuation (R2000): silence this long while
   * reading restarts the dialogue. Default 5 s.
   */
  stallRestartMs?: number;
  /** How long to wait for the reader to acknowledge the stop command. Default 1 s. */
  stopTimeoutMs?: number;
  now?: () => number;
}

export interface ReaderSessionEvents {
  /** A decoded read (GS1 identity when there is one), stamped with the host time its bytes arrived. */
  read: [read: Read];
  state: [change: ReaderStateChange];
  message: [message: ReaderMessage];
}
