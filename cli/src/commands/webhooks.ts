import {
  type WebhookDeadLetter,
  WebhookDeadLetterListSchema,
  WebhookReplayAllAnswerSchema,
  WebhookReplayAnswerSchema,
  WebhookStatusListSchema,
  type WebhookSubscriptionStatus,
} from "@comptoir/contracts";
import type { z } from "zod";
import { API_TOKEN_HELP } from "../api-token.js";
import {
  CliError,
  type CliIO,
  type Command,
  type OptionValues,
  stringOption,
  UsageError,
} from "../command.js";
import {
  type GatewayTarget,
  gatewayTarget,
  getFromGateway,
  postToGateway,
} from "../gateway-api.js";

/**
 * `comptoir webhooks list|dead-letters|replay`: the outbound events'
 * standing on a running gateway. Subscriptions themselves are in the
 * gateway's config (`webhooks.subscriptions`); nothing here changes them.
 */

const OPTIONS = {
  gateway: { type: "string" },
  json: { type: "boolean" },
  token: { type: "string" },
  "token-file": { type: "string" },
} as const;

const COMMON_HELP = `  --gateway URL     the gateway's base URL (http://gateway:8080)
  --json            print the gateway's JSON answer as it is
${API_TOKEN_HELP}`;

/** Calls the gateway and reads its answer with the contract's schema; a refusal is one clear line. */
async function ask<S extends z.ZodType>(
  what: string,
  schema: S,
  call: (to: GatewayTarget) => Promise<{ status: number; json: Record<string, unknown> }>,
  values: OptionValues,
  io: CliIO,
): Promise<z.output<S>> {
  const { status, json } = await call(await gatewayTarget(values, io));
  if (status < 200 || status > 299) {
    const error = json.error as { message?: string } | undefined;
    const hint =
      status === 401 || status === 403
        ? " — check the token (reading needs an admin or accounting token; replay an admin's)"
        : "";
    throw new CliError(
      `${what}: the gateway refused (HTTP ${status}): ${error?.message ?? "no detail"}${hint}`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new CliError(
      `${what}: the gateway's answer is not what this comptoir expects — are both the same version?`,
    );
  return parsed.data;
}

function subscriptionLine(s: WebhookSubscriptionStatus): string {
  const lines = [
    `${s.id}  ${s.url}  (${s.events.join(", ")})`,
    `  pending ${s.queue.pending}, dead ${s.queue.dead}` +
      (s.oldestPendingAt ? `, oldest pending from ${s.oldestPendingAt}` : ""),
  ];
  if (s.head && s.head.attempts > 0)
    lines.push(
      `  head #${s.head.seq}: ${s.head.attempts} failed tries, next at ${s.head.nextAttemptAt}`,
    );
  lines.push(
    s.lastDelivery
      ? `  last delivered #${s.lastDelivery.seq} at ${s.lastDelivery.at}`
      : "  nothing delivered yet",
  );
  if (s.lastError) lines.push(`  last error at ${s.lastError.at}: ${s.lastError.message}`);
  return lines.join("\n");
}

function deadLetterLine(d: WebhookDeadLetter): string {
  return (
    `${d.id}  ${d.subscription}  #${d.event.seq} ${d.event.type}  occurred ${d.event.occurredAt}  ` +
    `${d.attempts} tries, dead since ${d.deadAt ?? "?"}  ${d.lastError ?? ""}`.trimEnd()
  );
}

export const webhooksList: Command = {
  name: "webhooks list",
  summary: "the webhook subscriptions: events pending and dead, last delivery, last error",
  usage: "--gateway URL [--token-file F] [--json]",
  help: `Subscriptions are set in the gateway config (webhooks.subscriptions); secrets are never shown.\n${COMMON_HELP}`,
  options: OPTIONS,
  async run({ values, io }) {
    const answer = await ask(
      "webhooks list",
      WebhookStatusListSchema,
      (to) => getFromGateway(to, "/webhooks"),
      values,
      io,
    );
    if (values.json) io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    else if (answer.subscriptions.length === 0)
      io.stdout.write(
        "no webhook subscription: add some under webhooks.subscriptions in the gateway config\n",
      );
    else io.stdout.write(`${answer.subscriptions.map(subscriptionLine).join("\n")}\n`);
    return 0;
  },
};

export const webhooksDeadLetters: Command = {
  name: "webhooks dead-letters",
  summary: "events a subscription gave up on after its last try, oldest first",
  usage: "--gateway URL [--subscription ID] [--token-file F] [--json]",
  help: `Each line: the dead letter's ID (for comptoir webhooks replay), the subscription, the event's
commit order and type, when it happened, the tries and the last error.
  --subscription ID only this subscription's
${COMMON_HELP}`,
  options: { ...OPTIONS, subscription: { type: "string" } },
  async run({ values, io }) {
    const subscription = stringOption(values, "subscription");
    const query = subscription ? `?subscription=${encodeURIComponent(subscription)}` : "";
    const answer = await ask(
      "webhooks dead-letters",
      WebhookDeadLetterListSchema,
      (to) => getFromGateway(to, `/webhooks/dead-letters${query}`),
      values,
      io,
    );
    if (values.json) io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    else if (answer.deadLetters.length === 0) io.stdout.write("no dead letter\n");
    else io.stdout.write(`${answer.deadLetters.map(deadLetterLine).join("\n")}\n`);
    return 0;
  },
};

export const webhooksReplay: Command = {
  name: "webhooks replay",
  summary: "send a dead letter again (or --all of them), next in its queue, with its original id",
  usage: "ID | --all [--subscription ID] --gateway URL [--token-file F] [--json]",
  help: `The event goes out next, after events committed later that were already delivered (out of
order), with its original id, occurredAt and Idempotency-Key. Needs an admin token.
  --all             every dead letter, in commit order (after a receiver's long outage)
  --subscription ID with --all: only this subscription's
${COMMON_HELP}`,
  options: { ...OPTIONS, all: { type: "boolean" }, subscription: { type: "string" } },
  positionals: { min: 0, max: 1 },
  async run({ values, positionals, io }) {
    const id = positionals[0];
    if (values.all === true) {
      if (id !== undefined)
        throw new UsageError("give either a dead letter's ID or --all, not both");
      return replayAll(values, io);
    }
    if (id === undefined) throw new UsageError("give a dead letter's ID, or --all");
    if (stringOption(values, "subscription") !== undefined)
      throw new UsageError("--subscription goes with --all");
    if (!/^[1-9]\d{0,15}$/.test(id))
      throw new UsageError(
        `ID must be a dead letter's number (see comptoir webhooks dead-letters), not "${id}"`,
      );
    const answer = await ask(
      `webhooks replay ${id}`,
      WebhookReplayAnswerSchema,
      (to) => postToGateway(to, `/webhooks/dead-letters/${id}/replay`, "", "application/json"),
      values,
      io,
    );
    const { replayed } = answer;
    if (values.json) io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    else
      io.stdout.write(
        `dead letter ${replayed.id} (${replayed.subscription}: #${replayed.event.seq} ${replayed.event.type}) queued again; it goes out next\n`,
      );
    return 0;
  },
};

async function replayAll(values: OptionValues, io: CliIO): Promise<number> {
  const subscription = stringOption(values, "subscription");
  const answer = await ask(
    "webhooks replay --all",
    WebhookReplayAllAnswerSchema,
    (to) =>
      postToGateway(
        to,
        "/webhooks/dead-letters/replay",
        JSON.stringify(subscription ? { subscription } : {}),
        "application/json",
      ),
    values,
    io,
  );
  if (values.json) io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  else
    io.stdout.write(
      `${answer.replayed} dead letter${answer.replayed === 1 ? "" : "s"} queued again${subscription ? ` for ${subscription}` : ""}\n`,
    );
  return 0;
}
