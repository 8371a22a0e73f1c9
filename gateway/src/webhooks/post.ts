import type { QueuedDelivery } from "./queue.js";
import { signatureHeader } from "./signature.js";

/** Where a subscription's events go, its secret resolved (from the config or its file). */
export interface DeliveryTarget {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
}

export type PostOutcome =
  | { kind: "delivered"; status: number }
  | { kind: "failed"; error: string }
  /** The deliverer is stopping: the try does not count, the event stays due as it was. */
  | { kind: "stopped" };

/** The body every receiver gets: the event's stable id, its type, when it happened, its data. */
export function webhookBody(delivery: QueuedDelivery): string {
  // The stored data is already JSON: splice it in rather than parse and print it again.
  return `{"id":${JSON.stringify(delivery.key)},"type":${JSON.stringify(delivery.type)},"occurredAt":${JSON.stringify(delivery.occurredAt)},"data":${delivery.data}}`;
}

/**
 * One try: POST the event, signed now. A 2xx delivers it; any other status,
 * a redirect (never followed: the config names the receiver), a timeout or
 * a connection error is a failure to retry.
 */
export async function postWebhook(
  target: DeliveryTarget,
  delivery: QueuedDelivery,
  options: { now: Date; timeoutMs: number; stop: AbortSignal },
): Promise<PostOutcome> {
  const body = webhookBody(delivery);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(target.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.any([options.stop, timeout]),
      headers: {
        "content-type": "application/json",
        "user-agent": "comptoir-gateway-webhooks",
        "idempotency-key": delivery.key,
        "comptoir-event": delivery.type,
        "comptoir-signature": signatureHeader(target.secret, body, options.now),
      },
      body,
    });
    const snippet = await readSnippet(response, 300);
    if (response.status >= 200 && response.status < 300)
      return { kind: "delivered", status: response.status };
    const detail = snippet.trim() ? `: ${snippet.trim().replace(/\s+/g, " ")}` : "";
    return { kind: "failed", error: `HTTP ${response.status}${detail}` };
  } catch (error) {
    if (options.stop.aborted) return { kind: "stopped" };
    if (timeout.aborted)
      return { kind: "failed", error: `no answer within ${options.timeoutMs} ms` };
    return { kind: "failed", error: describeFetchError(error) };
  }
}

/** Reads at most `limit` characters of the answer (for the error shown to an admin), then lets go. */
async function readSnippet(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (text.length > limit) {
      await reader.cancel();
      break;
    }
  }
  return text.slice(0, limit);
}

/** fetch says "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, a TLS error). */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === "string" ? `${cause.message} (${code})` : cause.message;
  }
  return error.message;
}
