import type { CreditPolicy, CreditSnapshot } from "@comptoir/contracts";

/** A customer's standing as the counter shows it, before any sale. */
export interface Standing {
  customer: string;
  name: string;
  currency: string;
  limit: number | null;
  /** The snapshot's exposure plus this node's pending sales. */
  exposure: number;
  pending: number;
  available: number | null;
  overdue: number;
  overdueSince: string | null;
  status: CreditSnapshot["status"];
  version: number;
  asOf: string;
  /** Not connected to the gateway. */
  offline: boolean;
  /**
   * Older than the offline maximum age, or, offline, of unknown age (the
   * clock is not synchronised): offline, on-account sales are blocked.
   */
  stale: boolean;
  /** The OS says this till's clock has not been set by NTP since boot: `now` may be far off. */
  clockUnsynced: boolean;
}

/** Site policy defaults when a snapshot carries none (business-rules.md examples). */
const DEFAULT_OVERDUE_FLOOR = 5000;
const DEFAULT_OVERDUE_DAYS = 30;

/**
 * The policy a counter decides by: the site's, as the snapshot carries it
 * (the node config's cap and defaults when it carries none), with the
 * stricter of the site's and this node's offline maximum age — a counter
 * may be configured more cautious than the site, never less.
 */
export function counterPolicy(
  snapshot: CreditSnapshot | null,
  node: { offlineMaxSnapshotAgeMinutes: number; offlineCap: number },
): CreditPolicy {
  const maxAge = node.offlineMaxSnapshotAgeMinutes * 60;
  const site = snapshot?.policy ?? {
    overdueFloor: DEFAULT_OVERDUE_FLOOR,
    overdueDays: DEFAULT_OVERDUE_DAYS,
    offlineMaxAgeSeconds: maxAge,
    offlineCap: node.offlineCap,
    warnBand: 0,
  };
  return { ...site, offlineMaxAgeSeconds: Math.min(site.offlineMaxAgeSeconds, maxAge) };
}

export function standingOf(
  snapshot: CreditSnapshot,
  pending: number,
  context: { online: boolean; now: Date; policy: CreditPolicy; clockUnsynced?: boolean },
): Standing {
  const exposure = snapshot.outstanding + pending;
  const ageSeconds = (context.now.getTime() - Date.parse(snapshot.asOf)) / 1000;
  return {
    customer: snapshot.customer,
    name: snapshot.name,
    currency: snapshot.currency,
    limit: snapshot.limit,
    exposure,
    pending,
    available: snapshot.limit === null ? null : snapshot.limit - exposure,
    overdue: snapshot.overdue,
    overdueSince: snapshot.overdueSince,
    status: snapshot.status,
    version: snapshot.version,
    asOf: snapshot.asOf,
    offline: !context.online,
    stale:
      (context.clockUnsynced === true && !context.online) ||
      ageSeconds > context.policy.offlineMaxAgeSeconds,
    clockUnsynced: context.clockUnsynced === true,
  };
}
