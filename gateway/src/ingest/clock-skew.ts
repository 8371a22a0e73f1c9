import { type Logger, type NodeClock, silentLogger } from "@comptoir/contracts";
import type { EventSink } from "../live/ingest-events.js";
import type { ClockFlags } from "../store/clock-flags.js";
import type { NodeStatusRecord } from "./mqtt-ingest.js";

export const DEFAULT_CLOCK_SKEW_SECONDS = 120;

interface Measure {
  skewMs: number;
  measuredAt: string;
}

/**
 * Measures each node's clock against the gateway's on every live status
 * (the node's `ts` when it sent it − the gateway's receive time) and flags
 * a node whose |skew| passes the threshold. A Raspberry Pi has no real-time
 * clock: after a power cut it may run hours behind until NTP syncs.
 *
 * Precision: the measure includes the MQTT path (publish, broker, delivery),
 * normally milliseconds, up to the broker's QoS 1 retry on a bad link: fine
 * against a threshold of minutes, not a clock to synchronise by. Retained
 * statuses (handed over on subscribing, possibly minutes old) are not
 * measured. An `offline` status measures nothing and leaves the flag as is.
 *
 * The flag periods are stored (ClockFlags) so that the reconciliation can
 * tell, later, whether an entry arrived while its node was flagged; they
 * also keep the flag across a gateway restart until the next measure.
 */
export class ClockSkewWatch {
  private readonly measures = new Map<string, Measure>();
  private readonly log: Logger;
  private readonly thresholdMs: number;
  private readonly sink: EventSink | undefined;

  constructor(
    private readonly flags: ClockFlags,
    options: { thresholdSeconds?: number; sink?: EventSink; logger?: Logger } = {},
  ) {
    this.thresholdMs = (options.thresholdSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
    this.sink = options.sink;
    this.log = (options.logger ?? silentLogger).child({ module: "ingest:clock" });
  }

  /** Call with each status the gateway takes (MqttIngest's onStatus). */
  observe(node: string, record: NodeStatusRecord): void {
    const { status, receivedAt } = record;
    if (status.state !== "online" || record.retained) return;
    const skewMs = Date.parse(status.ts) - Date.parse(receivedAt);
    if (!Number.isFinite(skewMs)) return;
    this.measures.set(node, { skewMs, measuredAt: receivedAt });
    const over = Math.abs(skewMs) > this.thresholdMs;
    const flagged = this.flags.current(node) !== undefined;
    if (over && !flagged) {
      this.flags.raise(node, receivedAt, skewMs);
      this.log.warn(
        { node, skewMs, thresholdMs: this.thresholdMs },
        "node clock skew over the threshold: its entries are aged by receive time",
      );
      this.changed(node, {
        level: "warning",
        node,
        message: `${node}'s clock is ${describeSkew(skewMs)} the gateway's (over ${this.thresholdMs / 1000} s): its movements are aged by the time the gateway received them until it is fixed — check NTP on the node`,
      });
    } else if (!over && flagged) {
      this.flags.clear(node, receivedAt);
      this.log.info({ node, skewMs }, "node clock back within the threshold");
      this.changed(node, {
        level: "info",
        node,
        message: `${node}'s clock is within ${this.thresholdMs / 1000} s of the gateway's again (${describeSkew(skewMs)} it)`,
      });
    }
  }

  /** What the API and the dashboard show of the node's clock. */
  view(node: string): NodeClock {
    const measure = this.measures.get(node);
    const period = this.flags.current(node);
    return {
      skewMs: measure ? Math.round(measure.skewMs) : null,
      measuredAt: measure?.measuredAt ?? null,
      flagged: period !== undefined,
      since: period?.from ?? null,
      thresholdMs: this.thresholdMs,
    };
  }

  private changed(
    node: string,
    alert: { level: "warning" | "info"; node: string; message: string },
  ) {
    try {
      this.sink?.publish("node", { id: node, change: "clock", clock: this.view(node) });
      this.sink?.publish("alert", alert);
    } catch (error) {
      this.log.error({ err: error, node }, "clock change not published on the live feed");
    }
  }
}

/** "3 min 20 s behind", "2 h 5 min ahead of", "0.4 s ahead of". */
export function describeSkew(skewMs: number): string {
  const abs = Math.abs(skewMs);
  const side = skewMs < 0 ? "behind" : "ahead of";
  let amount: string;
  if (abs < 60_000) amount = `${Math.round(abs / 100) / 10} s`;
  else if (abs < 3_600_000)
    amount = `${Math.floor(abs / 60_000)} min ${Math.floor((abs % 60_000) / 1000)} s`;
  else amount = `${Math.floor(abs / 3_600_000)} h ${Math.floor((abs % 3_600_000) / 60_000)} min`;
  return `${amount} ${side}`;
}
