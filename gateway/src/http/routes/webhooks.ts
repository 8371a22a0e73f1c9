import {
  WebhookDeadLetterListSchema,
  WebhookReplayAllAnswerSchema,
  WebhookReplayAllBodySchema,
  WebhookReplayAnswerSchema,
  WebhookStatusListSchema,
} from "@comptoir/contracts";
import { z } from "zod";
import type { RouteDeps } from "../context.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";

export const DeadLettersQuery = z.strictObject({
  subscription: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export const DeadLetterParams = z.strictObject({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .describe("the dead letter's id, from GET /webhooks/dead-letters"),
});

/**
 * Outbound webhooks as an admin sees them. Subscriptions are set in the
 * gateway config only (`webhooks.subscriptions`), so nothing here adds or
 * changes one: a URL taken from a request would let a token aim the
 * gateway at any host.
 */
export function webhookRoutes(deps: RouteDeps): RouteGroup {
  const { tokens, webhookAdmin } = deps;
  return new RouteGroup(tokens)
    .route(
      {
        method: "get",
        path: "/webhooks",
        summary:
          "the webhook subscriptions of the gateway config (never their secrets), each with its queue: events pending and dead, the head's tries and next attempt, the last delivery and the last error",
        permission: "webhooks:read",
        responses: { 200: { description: "the subscriptions", schema: WebhookStatusListSchema } },
      },
      (c) => c.json({ subscriptions: webhookAdmin?.list() ?? [] }),
    )
    .route(
      {
        method: "get",
        path: "/webhooks/dead-letters",
        summary:
          "events a subscription gave up on after webhooks.delivery.maxAttempts tries, oldest first; a dead letter no longer holds up the events after it",
        permission: "webhooks:read",
        query: DeadLettersQuery,
        responses: {
          200: { description: "the dead letters", schema: WebhookDeadLetterListSchema },
        },
        errors: [400],
      },
      (c) => {
        const { subscription, limit } = c.req.valid("query");
        const deadLetters =
          webhookAdmin?.deadLetters({ limit, ...(subscription ? { subscription } : {}) }) ?? [];
        return c.json({ deadLetters });
      },
    )
    .route(
      {
        method: "post",
        path: "/webhooks/dead-letters/:id/replay",
        summary:
          "send a dead letter again: back at the head of its subscription's queue with its tries reset, keeping its id, occurredAt and Idempotency-Key; it goes out next, after any later events already delivered",
        permission: "webhooks:replay",
        params: DeadLetterParams,
        responses: { 200: { description: "queued again", schema: WebhookReplayAnswerSchema } },
        errors: [400, 404, 409],
      },
      (c) => {
        const { id } = c.req.valid("param");
        const result = webhookAdmin?.replay(id) ?? { kind: "not-found" as const };
        if (result.kind === "not-found")
          throw new ApiError(404, "not_found", `no dead letter ${id}`, "id");
        if (result.kind === "not-dead")
          throw new ApiError(
            409,
            "conflict",
            `delivery ${id} is ${result.state}, not dead: only a dead letter can be replayed`,
            "id",
          );
        return c.json({ replayed: result.deadLetter, state: "pending" as const });
      },
    )
    .route(
      {
        method: "post",
        path: "/webhooks/dead-letters/replay",
        summary:
          "send every dead letter again (or one subscription's): back in their queues with their tries reset, in commit order, before anything committed since — after a receiver's long outage",
        permission: "webhooks:replay",
        body: WebhookReplayAllBodySchema,
        responses: {
          200: { description: "how many were queued again", schema: WebhookReplayAllAnswerSchema },
        },
        errors: [400],
      },
      (c) => {
        const { subscription } = c.req.valid("json");
        const replayed = webhookAdmin?.replayAll(subscription ? { subscription } : {}) ?? 0;
        return c.json({ replayed });
      },
    );
}
