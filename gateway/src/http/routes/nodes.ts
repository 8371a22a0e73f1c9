import {
  type NodeClock,
  type NodeView,
  NodeViewSchema,
  parsePublicKey,
  publicKeyHex,
  TopicIdSchema,
} from "@comptoir/contracts";
import { z } from "zod";
import { enrollWithCredentials } from "../../broker/credentials.js";
import type { NodeStatusRecord } from "../../ingest/mqtt-ingest.js";
import { GATEWAY_CHAIN } from "../../ledger/gateway-ledger.js";
import type { NodeRecord } from "../../store/store.js";
import type { RouteDeps } from "../context.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";

/** A public key as `comptoir node init` prints it: 64 hex digits, or SPKI PEM. Becomes the raw key in hex. */
export const PublicKeyInput = z
  .string()
  .max(2000)
  .transform((text, ctx) => {
    try {
      return publicKeyHex(parsePublicKey(text));
    } catch {
      ctx.addIssue({
        code: "custom",
        message:
          "must be an Ed25519 public key: 64 hex digits or a PEM block, as comptoir node init prints it",
      });
      return z.NEVER;
    }
  });

export const EnrollBody = z.strictObject({ id: TopicIdSchema, publicKey: PublicKeyInput });
export const NodeParam = z.strictObject({ id: TopicIdSchema });

/** A node as the API shows it, and the dashboard reads it: defined once, in contracts. */
export { type NodeView, NodeViewSchema };

const EnrolledSchema = z.strictObject({
  node: NodeViewSchema,
  mqtt: z
    .strictObject({
      username: z.string(),
      password: z.string(),
      ca: z
        .string()
        .optional()
        .describe(
          "PEM of the CA (or certificate) the node pins for the broker's TLS: its mqtt.ca; absent without TLS",
        ),
    })
    .optional()
    .describe("the node's MQTT credentials for the embedded broker: shown this once"),
  gateway: z
    .strictObject({
      publicKey: z
        .string()
        .describe(
          "the gateway's Ed25519 public key (hex): the node's mqtt.gatewayKey, to check that acks, commands, credit and catalog come from this gateway",
        ),
    })
    .describe("what the node must know of the gateway"),
});

/** The API's view of a node: what the store verified, and what the node last said of itself. */
export function nodeView(
  node: NodeRecord,
  reported: NodeStatusRecord | undefined,
  clock?: NodeClock,
): NodeView {
  const status = reported?.status;
  const lastSeen = [node.lastSeen, reported?.receivedAt]
    .filter((time): time is string => typeof time === "string")
    .sort()
    .at(-1);
  return {
    id: node.id,
    publicKey: node.publicKey,
    enrolledAt: node.enrolledAt,
    status: status ? status.state : "unknown",
    lastSeen: lastSeen ?? null,
    headSeq: status?.state === "online" ? status.headSeq : null,
    verifiedSeq: node.head.seq,
    chain: node.broken ? { state: "broken", ...node.broken } : { state: "ok" },
    ...(status?.state === "online" ? { readers: status.readers, version: status.version } : {}),
    ...(clock ? { clock } : {}),
  };
}

export function nodeRoutes(deps: RouteDeps): RouteGroup {
  const { store, ledger, tokens } = deps;
  return new RouteGroup(tokens)
    .route(
      {
        method: "get",
        path: "/nodes",
        summary: "every enrolled node: status, last seen, head seq, verified seq, chain state",
        permission: "nodes:read",
        responses: {
          200: {
            description: "the nodes",
            schema: z.strictObject({ nodes: z.array(NodeViewSchema) }),
          },
        },
      },
      (c) =>
        c.json({
          nodes: store
            .nodes()
            .map((node) => nodeView(node, deps.nodeStatus(node.id), deps.nodeClock(node.id))),
        }),
    )
    .route(
      {
        method: "get",
        path: "/nodes/:id",
        summary: "one node",
        permission: "nodes:read",
        params: NodeParam,
        responses: { 200: { description: "the node", schema: NodeViewSchema } },
        errors: [400, 404],
      },
      (c) => {
        const { id } = c.req.valid("param");
        const node = store.node(id);
        if (!node) throw new ApiError(404, "not_found", `no node ${id} is enrolled`, "id");
        return c.json(nodeView(node, deps.nodeStatus(id), deps.nodeClock(id)));
      },
    )
    .route(
      {
        method: "post",
        path: "/nodes",
        summary:
          "enroll a node with the public key comptoir node init printed; recorded in the gateway ledger",
        permission: "nodes:enroll",
        body: EnrollBody,
        responses: { 201: { description: "enrolled", schema: EnrolledSchema } },
        errors: [400, 409, 413, 415, 422],
      },
      (c) => {
        const { id, publicKey } = c.req.valid("json");
        const actor = c.get("actor");
        if (id === GATEWAY_CHAIN) {
          throw new ApiError(
            422,
            "reserved_id",
            `"${GATEWAY_CHAIN}" is the gateway's own chain: choose another node id`,
            "id",
          );
        }
        const { node, mqtt } = store.db.transaction(() => {
          if (store.node(id)) {
            throw new ApiError(
              409,
              "conflict",
              `node ${id} is already enrolled: to give it a new MQTT secret use POST /nodes/${id}/rotate, or POST /nodes/${id}/reenroll if it was revoked`,
              "id",
            );
          }
          const enrolled = deps.credentials
            ? enrollWithCredentials(store, deps.credentials, id, publicKey)
            : { node: store.enrollNode(id, publicKey), mqtt: undefined };
          ledger.record(
            "node.enrolled",
            { node: id, publicKey, mqttCredentials: enrolled.mqtt !== undefined },
            actor,
          );
          return enrolled;
        })();
        deps.log.info({ node: id, by: actor.id }, "node enrolled");
        deps.events.publish?.("node", { id, change: "enrolled" });
        // The broker's CA rides with the secret: the node pins it in its config (mqtt.ca).
        const pinned = mqtt && deps.brokerCa ? { ...mqtt, ca: deps.brokerCa } : mqtt;
        return c.json(
          {
            node: nodeView(node, undefined),
            ...(pinned ? { mqtt: pinned } : {}),
            gateway: { publicKey: ledger.publicKeyHex },
          },
          201,
        );
      },
    );
}
