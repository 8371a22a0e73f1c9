import {
  createIdentity,
  IdentityExistsError,
  identityPaths,
  publicKeyHex,
  publicKeyPem,
} from "@comptoir/contracts";
import { loadConfigFile, NodeConfigSchema, resolveFromConfig } from "@comptoir/firmware-config";
import { CliError, type Command, requireOption } from "../command.js";

export const nodeInit: Command = {
  name: "node init",
  summary: "create this node's Ed25519 identity and print its public key for enrollment",
  usage: "--config FILE",
  help: `Creates identity.key (mode 0600) and identity.pub in the node's data directory
(node.dataDir, relative to the config file). Refuses to replace an existing identity.
Enroll the printed key at the gateway: POST /api/v1/nodes with the node id and public key.`,
  options: { config: { type: "string", short: "c" } },
  async run({ values, io }) {
    const file = requireOption(values, "config");
    const { config, warnings } = loadConfigFile(file, NodeConfigSchema, io.env);
    for (const warning of warnings) io.stderr.write(`warning: ${warning}\n`);
    const dataDir = resolveFromConfig(file, config.node.dataDir);
    try {
      const identity = await createIdentity(dataDir);
      io.stdout.write(
        `node ${config.node.id}: identity created in ${identityPaths(dataDir).privateKey}\n` +
          `public key (hex): ${publicKeyHex(identity.publicKey)}\n${publicKeyPem(identity.publicKey)}`,
      );
      return 0;
    } catch (error) {
      if (error instanceof IdentityExistsError) throw new CliError(error.message);
      throw error;
    }
  },
};
