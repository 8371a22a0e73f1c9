import { z } from "zod";
import type { NodeCredentials } from "../../broker/credentials.js";
import type { NodeRecord, Store } from "../../store/store.js";
import type { RouteDeps } from "../context.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";
import { NodeParam, NodeViewSchema, nodeView, PublicKeyInput } from "./nodes.js";

/**
 * A node's MQTT credentials after enrollment: revoke them (a stolen or
 * retired node), rotate them (a routine change, or a secret seen where it
 * should not be), re-enroll (a revoked node, or one whose secret was lost,
 * gets a new one). Each change is recorded in the gateway's ledger with
 * who did it and why, and drops the node's open MQTT session at once
 * (broker/sessions.ts). The node's stored chain is never touched.
 */

/** Why: kept in the gateway's ledger as the operator wrote it. */
export const Reason = z.string().trim().min(1).max(500);

/** The enrolled node `id`, or the 404 that says none is. */
export function enrolledNode(store: Store, id: string): NodeRecord {
  const node = store.node(id);
  if (!node) throw new ApiError(404, "not_found", `no node ${id} is enrolled`, "id");
  return node;
}
export const RevokeBody = z.strictObject({ reason: Reason });
export const RotateBody = z.strictObject({ reason: Reason.optional() });
export const ReenrollBody = z.strictObject({
  reason: Reason,
  publicKey: PublicKeyInput.optional().describe(
    "when given, must be the enrolled key: a node with a new identity is a new node",
  ),
});

const Issued = z.strictObject({
  node: NodeViewSchema,
  mqtt: z
    .strictObject({ username: z.string(), password: z.string(), ca: z.string().optional() })
    .describe(
      "the node's new MQTT credentials, shown this once, with the CA it pins (its mqtt.ca; absent without TLS)",
    ),
  gateway: z
    .strictObject({ publicKey: z.string() })
    .describe("the gateway's Ed25519 public key: the node's mqtt.gatewayKey"),
});
const Revoked = z.strictObject({ node: NodeViewSchema, mqtt: z.literal("revoked") });

const ERRORS = [400, 404, 409, 413, 415, 422];

export function nodeLifecycleRoutes(deps: RouteDeps): RouteGroup {
  const { store, ledger, tokens } = deps;

  /** The node and the embedded broker's credentials, or the error that says why not. */
  const target = (id: string): NodeCredentials => {
    enrolledNode(store, id);
    if (!deps.credentials) {
      throw new ApiError(
        422,
        "external_broker",
        "this gateway uses an external MQTT broker: change the node's credentials in that broker's password file and ACL",
      );
    }
    return deps.credentials;
  };

  /** The node as it is after the change (it was found at the start of the request). */
  const view = (id: string) => nodeView(enrolledNode(store, id), deps.nodeStatus(id));

  const issued = (id: string, password: string) => ({
    node: view(id),
    // Everything a node's config needs from the gateway, as the enrollment answer gives it.
    mqtt: { username: id, password, ...(deps.brokerCa ? { ca: deps.brokerCa } : {}) },
    gateway: { publicKey: ledger.publicKeyHex },
  });

  return new RouteGroup(tokens)
    .route(
      {
        method: "post",
        path: "/nodes/:id/revoke",
        summary:
          "revoke a node's MQTT secret: it is refused at CONNECT and its open session is closed; its stored chain stays",
        permission: "nodes:enroll",
        params: NodeParam,
        body: RevokeBody,
        responses: { 200: { description: "revoked", schema: Revoked } },
        errors: ERRORS,
      },
      (c) => {
        const { id } = c.req.valid("param");
        const { reason } = c.req.valid("json");
        const actor = c.get("actor");
        const credentials = target(id);
        store.db.transaction(() => {
          if (!credentials.has(id)) {
            throw new ApiError(
              409,
              "conflict",
              `node ${id} has no MQTT secret: already revoked`,
              "id",
            );
          }
          ledger.record("node.revoked", { node: id, reason }, actor);
          credentials.revoke(id);
        })();
        deps.log.warn({ node: id, by: actor.id, reason }, "node MQTT secret revoked");
        deps.events.publish?.("node", { id, change: "revoked" });
        return c.json({
          node: view(id),
          mqtt: "revoked" as const,
        });
      },
    )
    .route(
      {
        method: "post",
        path: "/nodes/:id/rotate",
        summary:
          "replace an active node's MQTT secret: the new one is returned once, the old one stops working at once",
        permission: "nodes:enroll",
        params: NodeParam,
        body: RotateBody,
        responses: { 200: { description: "rotated", schema: Issued } },
        errors: ERRORS,
      },
      (c) => {
        const { id } = c.req.valid("param");
        const { reason } = c.req.valid("json");
        const actor = c.get("actor");
        const credentials = target(id);
        const password = store.db.transaction(() => {
          // A rotation must not quietly undo a revocation: that is a re-enrollment, with a reason.
          if (!credentials.has(id)) {
            throw new ApiError(
              409,
              "conflict",
              `node ${id} is revoked: re-enroll it (POST /nodes/${id}/reenroll) to give it a new secret`,
              "id",
            );
          }
          ledger.record("node.secret-rotated", { node: id, reason: reason ?? null }, actor);
          return credentials.issue(id);
        })();
        deps.log.info({ node: id, by: actor.id }, "node MQTT secret rotated");
        deps.events.publish?.("node", { id, change: "rotated" });
        return c.json(issued(id, password));
      },
    )
    .route(
      {
        method: "post",
        path: "/nodes/:id/reenroll",
        summary:
          "give a revoked node, or one whose secret was lost, a new MQTT secret (returned once); same identity, same chain",
        permission: "nodes:enroll",
        params: NodeParam,
        body: ReenrollBody,
        responses: { 200: { description: "re-enrolled", schema: Issued } },
        errors: ERRORS,
      },
      (c) => {
        const { id } = c.req.valid("param");
        const { reason, publicKey } = c.req.valid("json");
        const actor = c.get("actor");
        const credentials = target(id);
        const node = enrolledNode(store, id);
        if (publicKey !== undefined && publicKey !== node.publicKey) {
          throw new ApiError(
            409,
            "conflict",
            `node ${id} is enrolled with another public key: its chain is signed by that key — enroll the new identity under a new node id`,
            "publicKey",
          );
        }
        const password = store.db.transaction(() => {
          ledger.record(
            "node.reenrolled",
            { node: id, reason, hadSecret: credentials.has(id) },
            actor,
          );
          return credentials.issue(id);
        })();
        deps.log.info(
          { node: id, by: actor.id, reason },
          "node re-enrolled with a new MQTT secret",
        );
        deps.events.publish?.("node", { id, change: "reenrolled" });
        return c.json(issued(id, password));
      },
    );
}
