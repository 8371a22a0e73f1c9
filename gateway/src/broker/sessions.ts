import { type Logger, silentLogger } from "@comptoir/contracts";
import type { Aedes, Client } from "aedes";
import type { NodeCredentials } from "./credentials.js";

/**
 * Drops a node's open MQTT session as soon as its secret is rotated or
 * revoked. The embedded broker checks the secret only at CONNECT, so a
 * node (or whoever stole its secret) would otherwise keep publishing on the
 * old one until it disconnected by itself. A node with a new secret
 * reconnects with it; one with none is refused at CONNECT.
 */
export function dropSessionsOnCredentialChange(
  credentials: Pick<NodeCredentials, "onChange">,
  aedes: Pick<Aedes, "on">,
  logger: Logger = silentLogger,
): () => void {
  const log = logger.child({ module: "broker" });
  // The broker makes the client id equal the node id (embedded.ts): one session per node.
  const sessions = new Map<string, Client>();
  aedes.on("client", (client) => sessions.set(client.id, client));
  aedes.on("clientDisconnect", (client) => {
    if (sessions.get(client.id) === client) sessions.delete(client.id);
  });
  return credentials.onChange((node) => {
    const client = sessions.get(node);
    if (!client || client.closed) return;
    log.info({ node }, "node credentials changed; closing its MQTT session");
    sessions.delete(node);
    client.close();
  });
}
