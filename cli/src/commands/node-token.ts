import {
  TERMINAL_ROLES,
  TerminalNameSchema,
  TerminalTokens,
  terminalTokensPath,
} from "@comptoir/device";
import { loadConfigFile, NodeConfigSchema, resolveFromConfig } from "@comptoir/firmware-config";
import {
  CliError,
  type CliIO,
  type Command,
  requireOption,
  stringOption,
  UsageError,
} from "../command.js";

/** The node FILE configures and its terminal tokens (node.dataDir/terminal-tokens.json). */
function openTokens(file: string, io: CliIO) {
  const { config, warnings } = loadConfigFile(file, NodeConfigSchema, io.env);
  for (const warning of warnings) io.stderr.write(`warning: ${warning}\n`);
  try {
    const tokens = new TerminalTokens(
      terminalTokensPath(resolveFromConfig(file, config.node.dataDir)),
    );
    return { config, tokens };
  } catch (error) {
    // A damaged token file: its message names the file and what to do.
    throw new CliError((error as Error).message);
  }
}

function terminalName(values: Record<string, unknown>): string {
  const name = TerminalNameSchema.safeParse(requireOption(values as never, "name"));
  if (!name.success) throw new UsageError(`--name: ${name.error.issues[0]?.message}`);
  return name.data;
}

export const nodeTokenCreate: Command = {
  name: "node token create",
  summary: "issue a terminal token for this node's local API; the token is printed once",
  usage: `--config FILE --name TERMINAL [--role ${TERMINAL_ROLES.join("|")}]`,
  help: `Creates a bearer token for a till, a station tablet or a script using the local API of
the node that FILE configures. Only its SHA-256 is kept (node.dataDir/terminal-tokens.json):
copy the printed token now, into the terminal's page (it asks once) or its client. A running
node accepts it at once.

  --role counter   the POS: customers' credit, checks, sales, overrides (default on counter nodes)
  --role station   stock changes: commission, move, assign, cycle count, dock order (default elsewhere)
  --role admin     everything
Any token may read stock.`,
  options: {
    config: { type: "string", short: "c" },
    name: { type: "string" },
    role: { type: "string" },
  },
  async run({ values, io }) {
    const file = requireOption(values, "config");
    const name = terminalName(values);
    const role = stringOption(values, "role");
    if (role !== undefined && !(TERMINAL_ROLES as readonly string[]).includes(role))
      throw new UsageError(`--role must be one of ${TERMINAL_ROLES.join(", ")}`);
    const { config, tokens } = openTokens(file, io);
    const chosen = (role ??
      (config.node.role === "counter" ? "counter" : "station")) as (typeof TERMINAL_ROLES)[number];
    try {
      const token = tokens.create(name, chosen);
      io.stdout.write(
        `created a ${chosen} token for terminal "${name}" on node ${config.node.id}; it is shown this once:\n${token}\n`,
      );
      return 0;
    } catch (error) {
      throw new CliError((error as Error).message);
    }
  },
};

export const nodeTokenList: Command = {
  name: "node token list",
  summary: "list the terminals that hold a token for this node's local API (never the tokens)",
  usage: "--config FILE",
  options: { config: { type: "string", short: "c" } },
  async run({ values, io }) {
    const list = openTokens(requireOption(values, "config"), io).tokens.list();
    if (list.length === 0) io.stdout.write("no terminal tokens\n");
    for (const t of list) io.stdout.write(`${t.name}\t${t.role}\tcreated ${t.createdAt}\n`);
    return 0;
  },
};

export const nodeTokenRevoke: Command = {
  name: "node token revoke",
  summary: "revoke a terminal's token; the running node refuses it from the next request",
  usage: "--config FILE --name TERMINAL",
  options: { config: { type: "string", short: "c" }, name: { type: "string" } },
  async run({ values, io }) {
    const name = terminalName(values);
    if (!openTokens(requireOption(values, "config"), io).tokens.revoke(name))
      throw new CliError(`no terminal named "${name}" has a token — see comptoir node token list`);
    io.stdout.write(`revoked the token of terminal "${name}"\n`);
    return 0;
  },
};
