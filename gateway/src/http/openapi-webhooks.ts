import { WEBHOOK_EVENT_SCHEMAS, WEBHOOK_EVENT_TYPES } from "@comptoir/contracts";
import { z } from "zod";

type JsonObject = Record<string, unknown>;

const HEADERS: JsonObject[] = [
  {
    name: "Idempotency-Key",
    in: "header",
    required: true,
    description:
      "the event's id, the same on every try, after a gateway restart and on a replay: keep the ones you processed and ignore a repeat",
    schema: { type: "string" },
  },
  {
    name: "Comptoir-Event",
    in: "header",
    required: true,
    description: "the event type",
    schema: { type: "string", enum: [...WEBHOOK_EVENT_TYPES] },
  },
  {
    name: "Comptoir-Signature",
    in: "header",
    required: true,
    description:
      't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the subscription\'s secret>: compare in constant time and refuse a t older than 5 minutes (gateway README, "Webhooks")',
    schema: { type: "string", pattern: "^t=\\d+,v1=[0-9a-f]{64}$" },
  },
];

/**
 * The OpenAPI 3.1 `webhooks` section: one POST per event type, as the
 * gateway sends it to the URLs of the config's `webhooks.subscriptions`.
 * The body's `data` schema is the contract's (contracts/src/webhooks).
 */
export function openApiWebhooks(): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const type of WEBHOOK_EVENT_TYPES) {
    out[type] = {
      post: {
        operationId: `webhook-${type}`,
        summary: `${type}: ${(WEBHOOK_EVENT_SCHEMAS[type] as z.ZodType).description ?? "see data"}`,
        description:
          "Sent at least once, per subscription in the order the changes committed; retried with exponential backoff and jitter on anything but a 2xx, then parked as a dead letter an admin can replay.",
        parameters: HEADERS,
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["id", "type", "occurredAt", "data"],
                additionalProperties: false,
                properties: {
                  id: { type: "string", description: "the same as the Idempotency-Key header" },
                  type: { type: "string", const: type },
                  occurredAt: {
                    type: "string",
                    format: "date-time",
                    description: "when the change committed",
                  },
                  data: dataSchema(WEBHOOK_EVENT_SCHEMAS[type]),
                },
              },
            },
          },
        },
        responses: {
          "2XX": { description: "received: the event is delivered" },
          default: { description: "anything else, or no answer in time: tried again later" },
        },
      },
    };
  }
  return out;
}

function dataSchema(type: z.ZodType): JsonObject {
  const { $schema: _drop, ...rest } = z.toJSONSchema(type, {
    io: "output",
    unrepresentable: "any",
  }) as JsonObject;
  return rest;
}
