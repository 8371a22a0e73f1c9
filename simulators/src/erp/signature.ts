import { createHmac, timingSafeEqual } from "node:crypto";

/** How far a signature's timestamp may be from now: a captured request is useless after this. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/**
 * What an ERP does with the gateway's `Comptoir-Signature: t=…,v1=…`
 * header (gateway README, "Webhooks"): HMAC-SHA256 of "<t>.<raw body>"
 * with the subscription's secret, compared in constant time, and a
 * timestamp within 5 minutes of now.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
  now: number = Date.now(),
): boolean {
  const fields = new Map(
    (header ?? "").split(",").map((field) => field.trim().split("=", 2) as [string, string]),
  );
  const t = Number(fields.get("t"));
  const v1 = fields.get("v1") ?? "";
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(Math.floor(now / 1000) - t) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest();
  return timingSafeEqual(Buffer.from(v1, "hex"), expected);
}
