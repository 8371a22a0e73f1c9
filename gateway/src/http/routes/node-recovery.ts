import { z } from "zod";
import { NodeEpochs } from "../../store/node-epochs.js";
import type { RouteDeps } from "../context.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";
import { enrolledNode, Reason } from "./node-lifecycle.js";
import { NodeParam, NodeViewSchema, nodeView } from "./nodes.js";

/**
 * Recovery of a broken node chain (docs/security.md, "Recovering a broken
 * chain"). Nothing is rewritten: the entries stored so far stay, and where
 * the chain broke is kept in the epoch record and the gateway ledger. A new
 * epoch starts after the last entry the gateway verified; the node, once
 * stopped, starts it with `comptoir node new-epoch` (its first entry names
 * the previous epoch, that seq and hash, and the reason).
 */

export const RecoverBody = z.strictObject({ reason: Reason });

const EpochSchema = z.strictObject({
  epoch: z.number().int(),
  startedAt: z.string(),
  lastGood: z.strictObject({ seq: z.number().int(), hash: z.string() }),
  broken: z.strictObject({ seq: z.number().int(), reason: z.string(), detail: z.string() }),
  reason: z.string(),
  actor: z.string(),
});

const Recovered = z.strictObject({
  node: NodeViewSchema,
  epoch: EpochSchema,
  next: z.string().describe("what to run on the node, stopped, to start the new epoch"),
});

export function nodeRecoveryRoutes(deps: RouteDeps): RouteGroup {
  const { store, ledger, tokens, clock } = deps;
  const epochs = new NodeEpochs(store.db);

  return new RouteGroup(tokens)
    .route(
      {
        method: "post",
        path: "/nodes/:id/recover",
        summary:
          "start a new epoch for a node whose chain is broken: the broken epoch stays as evidence, the node is taken again from the last entry verified",
        permission: "nodes:enroll",
        params: NodeParam,
        body: RecoverBody,
        responses: { 200: { description: "a new epoch started", schema: Recovered } },
        errors: [400, 404, 409, 413, 415],
      },
      (c) => {
        const { id } = c.req.valid("param");
        const { reason } = c.req.valid("json");
        const actor = c.get("actor");
        const record = store.db.transaction(() => {
          const node = enrolledNode(store, id);
          if (!node.broken) {
            throw new ApiError(
              409,
              "not_broken",
              `node ${id}'s chain is not broken: there is nothing to recover`,
              "id",
            );
          }
          const started = {
            epoch: epochs.current(id) + 1,
            startedAt: clock.now().toISOString(),
            lastGood: { seq: node.head.seq, hash: node.head.hash },
            broken: node.broken,
            reason,
            actor: `${actor.kind}:${actor.id}`,
          };
          ledger.record(
            "node.epoch-started",
            {
              node: id,
              epoch: started.epoch,
              previousEpoch: started.epoch - 1,
              lastGood: started.lastGood,
              broken: started.broken,
              reason,
            },
            actor,
          );
          epochs.start(id, started);
          return started;
        })();
        deps.log.warn(
          { node: id, epoch: record.epoch, brokenAt: record.broken.seq, by: actor.id, reason },
          "new epoch started for a broken node chain",
        );
        deps.events.publish?.("node", { id, change: "epoch", epoch: record.epoch });
        return c.json({
          node: nodeView(enrolledNode(store, id), deps.nodeStatus(id)),
          epoch: record,
          next: `on node ${id}, stopped: comptoir node new-epoch --config FILE --epoch ${record.epoch} --seq ${record.lastGood.seq} --hash ${record.lastGood.hash} --reason "${reason.replaceAll('"', "'")}"`,
        });
      },
    )
    .route(
      {
        method: "get",
        path: "/nodes/:id/epochs",
        summary:
          "the node's epochs after the first: where each previous one broke, the last good seq and hash, who started it and why",
        permission: "nodes:read",
        params: NodeParam,
        responses: {
          200: {
            description: "the epochs",
            schema: z.strictObject({ current: z.number().int(), epochs: z.array(EpochSchema) }),
          },
        },
        errors: [400, 404],
      },
      (c) => {
        const { id } = c.req.valid("param");
        enrolledNode(store, id);
        return c.json({ current: epochs.current(id), epochs: epochs.history(id) });
      },
    );
}
