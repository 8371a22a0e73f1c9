import {
  AssignBody,
  type Assigned,
  CycleCountBody,
  type CycleCounted,
  dockRefuses,
  type LedgerEntry,
  MoveBody,
  type Moved,
} from "@comptoir/contracts";
import { Hono } from "hono";
import type { RouteDeps } from "../context.js";
import { Refusal } from "../errors.js";
import { valid } from "../validate.js";
import { knownZones } from "./stock.js";

/**
 * What staff do at a scanning station: move items to a zone, put them
 * aside for the dock's current order (not while it is held or cancelled),
 * count a zone. Each answers with the
 * ledger seqs it wrote; a refusal (422) writes nothing.
 */
export function stationRoutes(deps: RouteDeps) {
  const { api, serial } = deps;
  const station = () => {
    if (!deps.stationActions) {
      throw new Refusal(
        "not_a_station",
        `node ${api.nodeId} is a ${api.role} node: station actions run on station nodes`,
      );
    }
  };
  const seqs = (entries: LedgerEntry[]) => entries.map((entry) => entry.seq);

  return new Hono()
    .post("/station/move", valid("json", MoveBody), (c) =>
      serial(async () => {
        station();
        const { epcs, zone, reason } = c.req.valid("json");
        const skipped = epcs.filter((epc) => api.tag(epc).place?.zone === zone);
        const toMove = epcs.filter((epc) => !skipped.includes(epc));
        if (toMove.length === 0) {
          throw new Refusal("nothing_to_move", `every selected item is already in ${zone}`, "zone");
        }
        const entries = await api.move({ epcs: toMove, zone, ...(reason ? { reason } : {}) });
        return c.json({ zone, moved: toMove, skipped, seqs: seqs(entries) } satisfies Moved, 201);
      }),
    )
    .post("/station/assign", valid("json", AssignBody), (c) =>
      serial(async () => {
        station();
        const { epcs, zone } = c.req.valid("json");
        const { order, customer } = api.dockOrder();
        if (order === null) {
          throw new Refusal(
            "no_dock_order",
            "the dock has no current order — set one first (PUT /api/v1/dock/order or the page's Dock order form)",
            "order",
          );
        }
        // The order was shippable when it went to the dock; it may have been held since.
        const known = api.dockView().state;
        if (known && dockRefuses(known.state)) {
          const why = known.reasons.map((reason) => reason.message).join("; ");
          throw new Refusal(
            "order_held",
            `order ${order} is ${known.state}${why ? `: ${why}` : ""} — nothing is put aside for it until it is released`,
            "order",
            known.reasons,
          );
        }
        const reason = customer ? `order ${order} for ${customer}` : `order ${order}`;
        const entries = await api.move({
          epcs,
          zone,
          reason,
          order,
          ...(customer ? { customer } : {}),
        });
        return c.json(
          { order, customer, zone, assigned: epcs, seqs: seqs(entries) } satisfies Assigned,
          201,
        );
      }),
    )
    .post("/station/cycle-count", valid("json", CycleCountBody), (c) =>
      serial(async () => {
        station();
        const input = c.req.valid("json");
        const zones = knownZones(api);
        if (!zones.includes(input.zone)) {
          throw new Refusal(
            "unknown_zone",
            `zone ${input.zone} is unknown here (no antenna, no stock); known zones: ${zones.join(", ") || "none"}`,
            "zone",
          );
        }
        return c.json((await api.cycleCount(input)) satisfies CycleCounted, 201);
      }),
    );
}
