import { parseJsonPayload, TopicIdSchema } from "@comptoir/contracts";
import { z } from "zod";

/** The envelope only: each entry is checked by the chain verifier, which names the seq and reason. */
const EnvelopeSchema = z.strictObject({
  node: TopicIdSchema,
  entries: z.array(z.unknown()).min(1).max(10_000),
  /** The node's Ed25519 signature of the batch (contracts `batchMessage`). */
  sig: z.string().max(200).optional(),
});

export type Envelope = z.infer<typeof EnvelopeSchema>;

/** A node's ledger batch as published on `node/<id>/ledger`, or what is wrong with it. */
export function parseEnvelope(payload: string | Buffer): Envelope | string {
  const read = parseJsonPayload(payload);
  if (!read.ok) return read.problem;
  const parsed = EnvelopeSchema.safeParse(read.value);
  return parsed.success ? parsed.data : `not a ledger batch (${parsed.error.issues[0]?.message})`;
}
