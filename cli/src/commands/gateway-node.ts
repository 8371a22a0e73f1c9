import { API_TOKEN_HELP } from "../api-token.js";
import {
  CliError,
  type CliIO,
  type Command,
  type OptionValues,
  requireOption,
  stringOption,
  UsageError,
} from "../command.js";
import { gatewayTarget, postToGateway } from "../gateway-api.js";

/**
 * `comptoir gateway node revoke|rotate|reenroll|recover ID`: the admin
 * routes of a node's lifecycle, called on a running gateway (so that its
 * broker drops the node's session at once). Needs an admin token.
 */

const OPTIONS = {
  gateway: { type: "string" },
  reason: { type: "string" },
  token: { type: "string" },
  "token-file": { type: "string" },
} as const;

const COMMON_HELP = `  --gateway URL     the gateway's base URL (http://gateway:8080)
  --reason TEXT     why: kept in the gateway's ledger with who did it
${API_TOKEN_HELP}
The token must be an admin's.`;

interface Answer {
  node?: { id: string };
  mqtt?: { username: string; password: string; ca?: string } | "revoked";
  gateway?: { publicKey: string };
  epoch?: {
    epoch: number;
    lastGood: { seq: number; hash: string };
    broken: { seq: number; reason: string };
  };
  next?: string;
  error?: { message?: string };
}

async function call(
  values: OptionValues,
  io: CliIO,
  id: string,
  action: string,
  body: Record<string, unknown>,
): Promise<Answer> {
  const { status, json } = await postToGateway(
    await gatewayTarget(values, io),
    `/nodes/${encodeURIComponent(id)}/${action}`,
    JSON.stringify(body),
    "application/json",
  );
  const answer = json as Answer;
  if (status < 200 || status > 299) {
    throw new CliError(
      `${action} node ${id}: the gateway refused it (HTTP ${status}): ${answer.error?.message ?? "no detail"}`,
    );
  }
  return answer;
}

function reasonOf(values: OptionValues): string {
  const reason = requireOption(values, "reason").trim();
  if (!reason) throw new UsageError("--reason must say why");
  return reason;
}

function printSecret(io: CliIO, id: string, answer: Answer): void {
  if (typeof answer.mqtt !== "object")
    throw new CliError(`the gateway answered no MQTT secret for node ${id}`);
  io.stdout.write(
    `node ${id}: new MQTT secret, shown this once (the old one no longer works):\n` +
      `  mqtt.username: ${answer.mqtt.username}\n  mqtt.password: ${answer.mqtt.password}\n` +
      (answer.gateway ? `  mqtt.gatewayKey: ${answer.gateway.publicKey}\n` : "") +
      (answer.mqtt.ca ? `  mqtt.ca: the site CA (the gateway's <dataDir>/tls/ca.pem)\n` : ""),
  );
}

export const gatewayNodeRevoke: Command = {
  name: "gateway node revoke",
  summary:
    "revoke a node's MQTT secret: refused at CONNECT and its session closed; its chain stays",
  usage: "ID --gateway URL --reason TEXT [--token-file F]",
  help: `For a node stolen, lost or retired. Its stored chain stays as it is.\n${COMMON_HELP}`,
  options: OPTIONS,
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, io }) {
    const id = positionals[0] as string;
    await call(values, io, id, "revoke", { reason: reasonOf(values) });
    io.stdout.write(`node ${id}: MQTT secret revoked; its session is closed\n`);
    return 0;
  },
};

export const gatewayNodeRotate: Command = {
  name: "gateway node rotate",
  summary:
    "replace an active node's MQTT secret; the new one is printed once, the old stops at once",
  usage: "ID --gateway URL [--reason TEXT] [--token-file F]",
  help: `Put the new secret in the node's config (mqtt.password) and restart it.\n${COMMON_HELP}`,
  options: OPTIONS,
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, io }) {
    const id = positionals[0] as string;
    const reason = stringOption(values, "reason")?.trim();
    printSecret(io, id, await call(values, io, id, "rotate", reason ? { reason } : {}));
    return 0;
  },
};

export const gatewayNodeReenroll: Command = {
  name: "gateway node reenroll",
  summary: "give a revoked node, or one whose secret was lost, a new MQTT secret (printed once)",
  usage: "ID --gateway URL --reason TEXT [--token-file F]",
  help: `Same node identity and chain; a node with a new key is a new node (enroll it under a new id).\n${COMMON_HELP}`,
  options: OPTIONS,
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, io }) {
    const id = positionals[0] as string;
    printSecret(io, id, await call(values, io, id, "reenroll", { reason: reasonOf(values) }));
    return 0;
  },
};

export const gatewayNodeRecover: Command = {
  name: "gateway node recover",
  summary: "start a new epoch for a node whose chain is broken; prints what to run on the node",
  usage: "ID --gateway URL --reason TEXT [--token-file F]",
  help: `Stop the node first. The broken epoch stays as evidence (GET /api/v1/nodes/ID/epochs);
the node is taken again after the last entry the gateway verified, once it has run the printed
comptoir node new-epoch command.\n${COMMON_HELP}`,
  options: OPTIONS,
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, io }) {
    const id = positionals[0] as string;
    const answer = await call(values, io, id, "recover", { reason: reasonOf(values) });
    const epoch = answer.epoch;
    if (!epoch) throw new CliError(`the gateway answered no epoch for node ${id}`);
    io.stdout.write(
      `node ${id}: epoch ${epoch.epoch} started after seq ${epoch.lastGood.seq} (${epoch.lastGood.hash}); the previous epoch broke at seq ${epoch.broken.seq}: ${epoch.broken.reason}\n` +
        `next, ${answer.next ?? ""}\n`,
    );
    return 0;
  },
};
