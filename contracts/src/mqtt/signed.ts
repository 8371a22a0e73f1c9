import { type KeyObject, sign, verify } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "../canonical-json.js";
import type { ChainIdentity } from "../ledger/keys.js";

/**
 * Signatures on what crosses MQTT (issue 13, item 5). Anyone who can publish
 * on a topic (an external broker, a man in the middle) could otherwise append
 * entries with valid hashes to a node's chain, or forge acks, credit
 * snapshots, prices and commands.
 *
 * Both directions sign RFC 8785 canonical JSON with Ed25519, each message
 * kind under its own `type` so that a signature made for one purpose is
 * never valid for another (a checkpoint signs `{chain, hash, seq}`).
 */

/** Ed25519 signature in lower-case hex (64 bytes). */
export const SignatureSchema = z
  .string()
  .regex(/^[0-9a-f]{128}$/, "must be an Ed25519 signature: 128 lower-case hex digits");

/** What a node signs for each ledger batch: its id and the batch's first seq, last seq and last hash. */
export interface BatchHead {
  node: string;
  first: number;
  last: number;
  hash: string;
}

/**
 * The signed bytes of a batch, UTF-8 of:
 * `{"first":<seq>,"hash":"<last entry's hash>","last":<seq>,"node":"<id>","type":"comptoir.ledger-batch.v1"}`.
 * The last hash commits to every entry of the batch through the `prev` links,
 * which the gateway checks against what it already holds.
 */
export function batchMessage(head: BatchHead): Buffer {
  return Buffer.from(
    canonicalJson({
      first: head.first,
      hash: head.hash,
      last: head.last,
      node: head.node,
      type: "comptoir.ledger-batch.v1",
    }),
    "utf8",
  );
}

export function signBatch(identity: ChainIdentity, head: BatchHead): string {
  return sign(null, batchMessage(head), identity.privateKey).toString("hex");
}

export function batchSignatureValid(head: BatchHead, sig: string, publicKey: KeyObject): boolean {
  if (!SignatureSchema.safeParse(sig).success) return false;
  return verify(null, batchMessage(head), publicKey, Buffer.from(sig, "hex"));
}

/**
 * The signed bytes of a gateway message: UTF-8 of
 * `{"payload":<the message without its sig>,"topic":"<full MQTT topic>","type":"comptoir.gateway-message.v1"}`.
 * The topic is in it so that an ack or command meant for one node cannot be
 * replayed to another.
 */
export function gatewayMessage(topic: string, payload: object): Buffer {
  return Buffer.from(
    canonicalJson({ payload, topic, type: "comptoir.gateway-message.v1" }),
    "utf8",
  );
}

/** The JSON text to publish on `topic`: the message with its `sig` member. */
export function signGatewayPayload(
  identity: ChainIdentity,
  topic: string,
  message: Record<string, unknown>,
): string {
  const { sig: _ignored, ...payload } = message;
  const sig = sign(null, gatewayMessage(topic, payload), identity.privateKey).toString("hex");
  return JSON.stringify({ ...payload, sig });
}

/** What a node makes of a gateway message's signature: the message without `sig`, or why not. */
export type SignedRead =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; problem: string };

/** Checks `value` (parsed JSON) against the gateway key, for the topic it arrived on. */
export function verifyGatewayPayload(
  topic: string,
  value: unknown,
  gatewayKey: KeyObject,
): SignedRead {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, problem: "not a JSON object" };
  const { sig, ...payload } = value as Record<string, unknown>;
  if (sig === undefined) return { ok: false, problem: "unsigned (no sig)" };
  if (typeof sig !== "string" || !SignatureSchema.safeParse(sig).success)
    return { ok: false, problem: "sig is not an Ed25519 signature in hex" };
  let message: Buffer;
  try {
    message = gatewayMessage(topic, payload);
  } catch {
    return { ok: false, problem: "not JSON data that can be signed" };
  }
  if (!verify(null, message, gatewayKey, Buffer.from(sig, "hex")))
    return { ok: false, problem: "bad signature (not the gateway's key, or altered)" };
  return { ok: true, value: payload };
}
