/**
 * What the gateway needs of MQTT, whichever broker carries it: the embedded
 * Aedes (in process, no socket) or an external broker reached as a client.
 * Keeping the rest of the gateway on this interface is what lets a site move
 * to Mosquitto or EMQX without touching ingest or the projections.
 */
export type BusHandler = (topic: string, payload: Buffer, meta?: BusMessageMeta) => void;

export interface BusMessageMeta {
  /**
   * The broker handed it over because it was retained (on subscribing), not
   * as it was published: it may be old. A node's clock skew is measured only
   * on live statuses for that reason.
   */
  retained: boolean;
}

export interface BusPublishOptions {
  qos: 0 | 1;
  retain?: boolean;
}

export interface GatewayBus {
  /** Delivers every message whose topic matches `filter` (MQTT wildcards) to `handler`. */
  subscribe(filter: string, handler: BusHandler): Promise<void>;
  /** Resolves once the broker has the message; rejects when it cannot take it now. */
  publish(topic: string, payload: string | Buffer, options: BusPublishOptions): Promise<void>;
  close(): Promise<void>;
}

/** MQTT topic filter matching: `+` is one level, a trailing `#` is any number (even none). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  // Wildcards at the first level never match `$` topics (MQTT 4.7.2).
  if ((f[0] === "+" || f[0] === "#") && t[0]?.startsWith("$")) return false;
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === "#") return i === f.length - 1;
    if (i >= t.length) return false;
    if (level !== "+" && level !== t[i]) return false;
  }
  return f.length === t.length;
}
