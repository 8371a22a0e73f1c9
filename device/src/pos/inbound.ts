import {
  type Catalog,
  CatalogSchema,
  type CreditSnapshot,
  CreditSnapshotSchema,
} from "@comptoir/contracts";
import type { z } from "zod";

/** What arrived on `credit/<customer>` or `catalog`, or why it was refused. */
export type PosInbound<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Reads a retained credit snapshot. Refuses what is not JSON, what the
 * schema refuses, and a snapshot whose customer is not the topic's: a
 * counter must never decide for one customer from another's figures.
 */
export function readCreditSnapshot(
  payload: Buffer,
  topicCustomer: string,
): PosInbound<CreditSnapshot> {
  const parsed = parse(payload, CreditSnapshotSchema);
  if (parsed.ok && parsed.value.customer !== topicCustomer) {
    return {
      ok: false,
      problem: `snapshot of customer ${parsed.value.customer} on the topic of ${topicCustomer}`,
    };
  }
  return parsed;
}

export function readCatalog(payload: Buffer): PosInbound<Catalog> {
  return parse(payload, CatalogSchema);
}

function parse<T>(payload: Buffer, schema: z.ZodType<T>): PosInbound<T> {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString("utf8"));
  } catch {
    return { ok: false, problem: "not JSON" };
  }
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return { ok: false, problem: `not a valid message (${path}${issue?.message ?? "invalid"})` };
}
