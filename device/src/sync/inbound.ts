import {
  type Ack,
  AckSchema,
  type NodeCommand,
  NodeCommandSchema,
  parseJsonPayload,
} from "@comptoir/contracts";
import type { z } from "zod";

/** What arrived on the ack or cmd topic, or why it was refused. */
export type Inbound<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Reads a message from the gateway (`node/<node>/ack` or `node/<node>/cmd`).
 * Refuses what is not JSON, what the schema refuses, and a seq the node has
 * not made durable yet: the gateway cannot have stored what the node has not
 * written, so such a message is a bug or a forgery and must change nothing.
 */
export function readAck(payload: Buffer, durableSeq: number): Inbound<Ack> {
  const parsed = parseInbound(payload, AckSchema);
  if (!parsed.ok) return parsed;
  const ack = parsed.value;
  if (ack.type === "ack" && ack.seq > durableSeq) {
    return future(`an ack of seq ${ack.seq}`, durableSeq);
  }
  if (ack.type === "resend" && ack.from > durableSeq + 1) {
    return future(`a resend from seq ${ack.from}`, durableSeq);
  }
  return parsed;
}

export function readCommand(payload: Buffer, durableSeq: number): Inbound<NodeCommand> {
  const parsed = parseInbound(payload, NodeCommandSchema);
  if (parsed.ok && parsed.value.type === "resend" && parsed.value.from > durableSeq + 1) {
    return future(`a resend from seq ${parsed.value.from}`, durableSeq);
  }
  return parsed;
}

/** A JSON payload checked by `schema`; what is wrong, in one line, when it is not. */
export function parseInbound<T>(payload: Buffer, schema: z.ZodType<T>): Inbound<T> {
  const read = parseJsonPayload(payload);
  if (!read.ok) return read;
  const result = schema.safeParse(read.value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return { ok: false, problem: `not a valid message (${path}${issue?.message ?? "invalid"})` };
}

function future(what: string, durableSeq: number): Inbound<never> {
  return {
    ok: false,
    problem: `${what} is beyond the ledger's durable head (seq ${durableSeq})`,
  };
}
