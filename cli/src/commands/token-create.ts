import { ROLES, RoleSchema, TokenNameSchema } from "@comptoir/gateway";
import { type Command, requireOption, stringOption, UsageError } from "../command.js";
import { openGatewayTokens } from "./token-store.js";

export const tokenCreate: Command = {
  name: "token create",
  summary: "create a gateway API token with a role; the token is printed once",
  usage: `--config FILE --role ${ROLES.join("|")} [--name NAME]`,
  help: `Creates a bearer token for the gateway HTTP API and the live feed, in the store of the
gateway that FILE configures (gateway.dataDir). Only the token's SHA-256 is kept: copy the
printed token now. The creation is recorded in the gateway's ledger.
What each role may do: gateway/src/http/roles.ts.

  --role ROLE   ${ROLES.join(", ")}
  --name NAME   who or what uses it ("dock tablet", "erp import"); default: the role`,
  options: {
    config: { type: "string", short: "c" },
    role: { type: "string" },
    name: { type: "string" },
  },
  async run({ values, io }) {
    const file = requireOption(values, "config");
    const role = RoleSchema.safeParse(requireOption(values, "role"));
    if (!role.success) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
    const name = TokenNameSchema.safeParse(stringOption(values, "name") ?? role.data);
    if (!name.success) throw new UsageError("--name must be 1 to 100 characters");
    const { tokens, actor, close } = await openGatewayTokens(file, io);
    try {
      const { record, token } = tokens.create(role.data, name.data, actor);
      io.stdout.write(
        `created token ${record.id} (role ${record.role}, "${record.name}"); it is shown this once:\n${token}\n`,
      );
      return 0;
    } finally {
      close();
    }
  },
};
