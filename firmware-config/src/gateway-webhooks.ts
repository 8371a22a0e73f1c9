import { TopicIdSchema, WEBHOOK_EVENT_TYPES } from "@comptoir/contracts";
import { z } from "zod";

/**
 * One receiver of the gateway's outbound events (issue 18). Set only here,
 * in the gateway's config: a URL given per request would let any token make
 * the gateway call any host (SSRF).
 */
export const WebhookSubscriptionConfigSchema = z
  .strictObject({
    /** Names the subscription in the API, the CLI and the logs; never change it (its queue is keyed by it). */
    id: TopicIdSchema,
    /** Where each event is POSTed as JSON. */
    url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
    /** The HMAC-SHA256 key the receiver verifies `Comptoir-Signature` with. */
    secret: z.string().min(16, "must be at least 16 characters").optional(),
    /** Or a file holding it (trailing newline ignored), relative to gateway.dataDir or absolute. */
    secretFile: z.string().min(1).optional(),
    /** The event types it wants, or ["*"] for every one. */
    events: z
      .array(
        z.enum([...WEBHOOK_EVENT_TYPES, "*"], {
          error: `must be "*" or one of ${WEBHOOK_EVENT_TYPES.join(", ")}`,
        }),
      )
      .min(1, 'list at least one event type, or ["*"] for all'),
  })
  .superRefine((subscription, context) => {
    if ((subscription.secret === undefined) === (subscription.secretFile === undefined))
      context.addIssue({
        code: "custom",
        path: ["secret"],
        message: "give exactly one of secret or secretFile",
      });
  });
export type WebhookSubscriptionConfig = z.infer<typeof WebhookSubscriptionConfigSchema>;

/** How hard the gateway tries before it parks an event in the dead-letter list. */
export const WebhookDeliveryConfigSchema = z
  .strictObject({
    /**
     * Attempts per event and subscription before it becomes a dead letter. With the
     * default backoff, 24 tries span up to about 12 hours (6 on average, with the
     * jitter): a receiver down for a night loses nothing and needs no replay.
     */
    maxAttempts: z.number().int().min(1).max(1000).default(24),
    /** The first retry waits up to this; each further one up to twice as long (full jitter). */
    backoffBaseMs: z.number().int().min(1).max(3_600_000).default(1000),
    /** No retry waits longer than this. */
    backoffMaxMs: z.number().int().min(1).max(86_400_000).default(3_600_000),
    /** One POST that has not answered by then counts as a failure. */
    timeoutMs: z.number().int().min(10).max(300_000).default(10_000),
    /** How often the deliverer looks for due events besides being woken by a commit. */
    pollMs: z.number().int().min(10).max(60_000).default(1000),
  })
  .refine((delivery) => delivery.backoffMaxMs >= delivery.backoffBaseMs, {
    path: ["backoffMaxMs"],
    message: "must be at least backoffBaseMs",
  });
export type WebhookDeliveryConfig = z.infer<typeof WebhookDeliveryConfigSchema>;

export const WebhooksConfigSchema = z
  .strictObject({
    subscriptions: z.array(WebhookSubscriptionConfigSchema).max(100).default([]),
    delivery: WebhookDeliveryConfigSchema.prefault({}),
    /** Delivered events are deleted from the outbox after this many days; dead letters stay until replayed. */
    retentionDays: z.number().int().min(1).max(3650).default(30),
  })
  .superRefine((webhooks, context) => {
    const seen = new Set<string>();
    webhooks.subscriptions.forEach((subscription, index) => {
      if (seen.has(subscription.id))
        context.addIssue({
          code: "custom",
          path: ["subscriptions", index, "id"],
          message: `"${subscription.id}" is already used by another subscription`,
        });
      seen.add(subscription.id);
    });
  });
export type WebhooksConfig = z.infer<typeof WebhooksConfigSchema>;
