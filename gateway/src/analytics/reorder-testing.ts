import { join } from "node:path";
import {
  generateIdentity,
  type LedgerEntry,
  ManualClock,
  type ReorderRuleInput,
  ReorderRuleSchema,
} from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import { GatewayLedger } from "../ledger/gateway-ledger.js";
import { EventHub, type LiveEvent } from "../live/events.js";
import { Store } from "../store/store.js";
import { AnalyticsAlerts } from "./alerts.js";
import { ReorderRules } from "./reorder-rules.js";

/**
 * A site for the reorder tests: a real store in `dir`, a node whose units
 * come in, move and go out as ingest would store them, the alerts publishing
 * to a live feed the test reads.
 */
export function reorderSite(dir: string, start: string, seed: ReorderRuleInput[] = []) {
  const clock = new ManualClock(start);
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const events = new EventHub({ clock });
  const live: LiveEvent[] = [];
  events.subscribe((event) => live.push(event));
  const alerts = new AnalyticsAlerts(store.db, { clock, events });
  const rules = new ReorderRules(store.db, ledger, {
    seed: seed.map((rule) => ReorderRuleSchema.parse(rule)),
    clock,
  });
  store.enrollNode("dock-1", generateIdentity().publicKeyHex);
  const sealer = chainSealer("dock-1");
  const onSite: { epc: string; sku: string; zone: string }[] = [];
  let tag = 0;

  const movement = (
    epc: string,
    sku: string,
    kind: string,
    from: string | null,
    to: string | null,
  ): LedgerEntry => {
    const at = clock.now().toISOString();
    // A 14-digit product is an SGTIN's GTIN: the tag names no SKU, the catalog finds it.
    const identity = /^\d{14}$/.test(sku) ? { sku: null, gtin: sku } : { sku };
    return sealer.seal(
      "movement",
      { epc, ...identity, kind, from, to, reader: "portal-1", antennas: [1], reads: 3, at },
      at,
    );
  };
  /** `count` new units of `sku` (or of a GTIN, 14 digits) received into `zone`. */
  const receive = (sku: string, count: number, zone = "shelf") => {
    const entries: LedgerEntry[] = [];
    for (let i = 0; i < count; i++) {
      tag++;
      const epc = `3034000000${tag.toString(16).toUpperCase().padStart(14, "0")}`;
      entries.push(movement(epc, sku, "receive", null, zone));
      onSite.push({ epc, sku, zone });
    }
    store.appendEntries("dock-1", entries);
  };
  /** `count` units of `sku` taken out of `zone` by `kind` (ship or sale: out of the site; pick: to `to`). */
  const out = (
    sku: string,
    count: number,
    kind = "ship",
    zone = "shelf",
    to: string | null = null,
  ) => {
    const entries: LedgerEntry[] = [];
    for (let i = 0; i < count; i++) {
      const index = onSite.findIndex((unit) => unit.sku === sku && unit.zone === zone);
      const unit = onSite[index];
      if (!unit) throw new Error(`no unit of ${sku} left in ${zone}`);
      entries.push(movement(unit.epc, sku, kind, zone, to));
      if (to === null) onSite.splice(index, 1);
      else unit.zone = to;
    }
    store.appendEntries("dock-1", entries);
  };
  const analytics = () =>
    live.filter((event) => event.type === "analytics").map((event) => event.data);
  return { clock, store, ledger, events, live, alerts, rules, receive, out, analytics };
}
