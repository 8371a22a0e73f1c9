import { spawn } from "node:child_process";
import type { Logger } from "@comptoir/contracts";
import { startWatchdog, type Watchdog, watchdogIntervalMs } from "./watchdog.js";

/**
 * Sends one sd_notify(3) message: its fields ("READY=1", "STATUS=…",
 * "WATCHDOG=1"), one a line. Resolves once it is delivered; rejects with
 * the reason otherwise.
 */
export type NotifySend = (fields: readonly string[]) => Promise<void>;

/**
 * The sd_notify(3) sender by the `systemd-notify` binary that every systemd
 * system has. Node has no unix datagram sockets, and the npm packages that
 * add them are native addons without prebuilt binaries (a Pi would need a
 * compiler) or link libsystemd's headers. One short process per message is
 * cheap next to that: about 4 a minute (the watchdog at WatchdogSec=30s),
 * plus a few at start and stop. It needs `NotifyAccess=all` in the unit, as
 * the message comes from this child, not from the main process. The
 * binary waits (its default since systemd 246) until systemd has read the
 * message, so systemd still finds the sender's unit when it reads it; that
 * is why a message resolves only when the child exits. It handles abstract
 * sockets (NOTIFY_SOCKET=@name) itself.
 */
export function systemdNotifyBinary(socket: string, path: string | undefined): NotifySend {
  return (fields) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn("systemd-notify", [...fields], {
        env: { NOTIFY_SOCKET: socket, PATH: path ?? "/usr/local/bin:/usr/bin:/bin" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
      });
      child.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          error.code === "ENOENT"
            ? new Error(
                "systemd-notify is not installed (it comes with systemd): install it, or unset NOTIFY_SOCKET when not run by systemd",
              )
            : error,
        ),
      );
      child.once("close", (code, signal) => {
        if (code === 0) resolve();
        else
          reject(
            new Error(
              `systemd-notify ${fields.join(" ")} to ${socket} failed (${signal ?? `exit ${code}`}): ${stderr.trim() || "no message"}`,
            ),
          );
      });
    });
}

/** sd_notify's lines are VAR=VALUE: a newline in a status text would start a bogus field. */
const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, " ").trim();

export interface ServiceNotifierOptions {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** The default: the `systemd-notify` binary. */
  send?: NotifySend;
  /** This process's pid, for WATCHDOG_PID (sd_watchdog_enabled(3)). */
  pid?: number;
}

/**
 * What a service run by systemd tells it: READY=1 once it really serves,
 * STATUS= lines for `systemctl status`, WATCHDOG=1 pings from the event
 * loop after READY, and STOPPING=1 on shutdown. Does nothing at all when
 * NOTIFY_SOCKET is unset (not run by systemd, or not Type=notify).
 */
export class ServiceNotifier {
  readonly #send: NotifySend | undefined;
  readonly #log: Logger;
  readonly #watchdogMs: number | undefined;
  #watchdog: Watchdog | undefined;
  #stopping = false;
  #last: Promise<void> = Promise.resolve();
  /** The last failure logged: a socket that stays broken is said once, not at every ping. */
  #failing: string | undefined;

  constructor(options: ServiceNotifierOptions) {
    const socket = options.env.NOTIFY_SOCKET;
    this.#log = options.logger.child({ module: "systemd" });
    if (!socket) return;
    this.#send = options.send ?? systemdNotifyBinary(socket, options.env.PATH);
    this.#watchdogMs = watchdogIntervalMs(options.env, options.pid ?? process.pid);
  }

  /** True when systemd listens (NOTIFY_SOCKET is set). */
  get enabled(): boolean {
    return this.#send !== undefined;
  }

  /** READY=1 with a status line; starts the watchdog pings when systemd asked for them. */
  ready(status: string): void {
    this.#notify(["READY=1", `STATUS=${oneLine(status)}`]);
    if (this.#watchdogMs === undefined || this.#watchdog) return;
    const send = this.#send;
    if (!send) return;
    this.#log.info({ everyMs: this.#watchdogMs }, "pinging the systemd watchdog");
    this.#watchdog = startWatchdog({
      intervalMs: this.#watchdogMs,
      ping: () => this.#inOrder(() => send(["WATCHDOG=1"])),
    });
  }

  /** A new status line; none after STOPPING=1, which keeps its own. */
  status(status: string): void {
    if (this.#stopping) return;
    this.#notify([`STATUS=${oneLine(status)}`]);
  }

  /** STOPPING=1; the pings end (systemd watches a stop by TimeoutStopSec, not by the watchdog). */
  stopping(status: string): void {
    this.#stopping = true;
    this.#watchdog?.stop();
    this.#notify(["STOPPING=1", `STATUS=${oneLine(status)}`]);
  }

  /** Stops the pings and waits for the messages in flight, before the process exits. */
  async close(): Promise<void> {
    this.#watchdog?.stop();
    await this.#last;
  }

  #notify(fields: string[]): void {
    const send = this.#send;
    if (send) void this.#inOrder(() => send(fields));
  }

  /**
   * One message after the other, so "starting" never lands after READY's
   * status; each resolves (failures are logged) once sent.
   */
  #inOrder(next: () => Promise<void>): Promise<void> {
    const sent = this.#track(this.#last.then(next));
    this.#last = sent;
    return sent;
  }

  /** Logs a failure once per distinct reason, and resolves either way. */
  #track(sent: Promise<void>): Promise<void> {
    return sent.then(
      () => {
        if (this.#failing) this.#log.info("systemd notifications go through again");
        this.#failing = undefined;
      },
      (error: Error) => {
        if (this.#failing !== error.message)
          this.#log.warn({ err: error }, `cannot notify systemd: ${error.message}`);
        this.#failing = error.message;
      },
    );
  }
}
