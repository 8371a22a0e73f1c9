import { z } from "zod";

/**
 * What `GET /api/v1/webhooks` says of each subscription (never its secret):
 * how far behind it is, and what went wrong last.
 */
export const WebhookSubscriptionStatusSchema = z.object({
  id: z.string(),
  /** The receiver's URL, any user:password in it removed. */
  url: z.string(),
  events: z.array(z.string()),
  queue: z.object({
    /** Events committed and not yet delivered (the head is being tried or waits for its retry). */
    pending: z.number().int(),
    /** Events parked in the dead-letter list, waiting for an admin's replay. */
    dead: z.number().int(),
  }),
  /** When the oldest pending event happened: how far behind the receiver is. */
  oldestPendingAt: z.string().nullable(),
  /** The head's failed tries so far and when it is tried next. */
  head: z
    .object({ seq: z.number().int(), attempts: z.number().int(), nextAttemptAt: z.string() })
    .nullable(),
  lastDelivery: z.object({ at: z.string(), seq: z.number().int() }).nullable(),
  lastError: z.object({ at: z.string(), message: z.string() }).nullable(),
});
export type WebhookSubscriptionStatus = z.infer<typeof WebhookSubscriptionStatusSchema>;

export const WebhookStatusListSchema = z.object({
  subscriptions: z.array(WebhookSubscriptionStatusSchema),
});

/** An event a subscription gave up on after `webhooks.delivery.maxAttempts` tries. */
export const WebhookDeadLetterSchema = z.object({
  /** The dead letter's id: what `POST /webhooks/dead-letters/:id/replay` takes. */
  id: z.number().int(),
  subscription: z.string(),
  event: z.object({
    /** The body's `id` and the `Idempotency-Key`. */
    id: z.string(),
    /** Commit order. */
    seq: z.number().int(),
    type: z.string(),
    occurredAt: z.string(),
    data: z.unknown(),
  }),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  deadAt: z.string().nullable(),
});
export type WebhookDeadLetter = z.infer<typeof WebhookDeadLetterSchema>;

export const WebhookDeadLetterListSchema = z.object({
  deadLetters: z.array(WebhookDeadLetterSchema),
});

export const WebhookReplayAllBodySchema = z.strictObject({
  /** Only this subscription's dead letters; all of them when absent. */
  subscription: z.string().min(1).max(64).optional(),
});

export const WebhookReplayAllAnswerSchema = z.object({
  /** How many dead letters went back in their queues. */
  replayed: z.number().int(),
});

export const WebhookReplayAnswerSchema = z.object({
  replayed: WebhookDeadLetterSchema,
  /** Back in its subscription's queue: the worker tries it next, before newer events. */
  state: z.literal("pending"),
});
