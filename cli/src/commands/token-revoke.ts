import { CliError, type Command, requireOption } from "../command.js";
import { openGatewayTokens } from "./token-store.js";

export const tokenRevoke: Command = {
  name: "token revoke",
  summary: "revoke a gateway API token by its id",
  usage: "ID --config FILE",
  help: `Revokes the token with this id (tok_…, as token create printed it) in the store of the
gateway that FILE configures; requests with it are refused (401) from then on, and live-feed
clients cannot reconnect with it. The revocation is recorded in the gateway's ledger.`,
  options: { config: { type: "string", short: "c" } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, io }) {
    const file = requireOption(values, "config");
    const id = positionals[0] as string;
    const { tokens, actor, close } = await openGatewayTokens(file, io);
    try {
      const outcome = tokens.revoke(id, actor);
      if (outcome === "unknown") {
        throw new CliError(`no token ${id} at this gateway — token ids look like tok_0123456789ab`);
      }
      io.stdout.write(
        outcome === "revoked" ? `revoked token ${id}\n` : `token ${id} was already revoked\n`,
      );
      return 0;
    } finally {
      close();
    }
  },
};
