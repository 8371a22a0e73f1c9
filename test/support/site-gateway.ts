import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { GatewayCore } from "@comptoir/gateway";
import { JsonApi } from "@comptoir/simulators";

/** A gateway of `site` in process: embedded broker and API on ephemeral loopback ports. */
export function startSiteGateway(site: string, dataDir: string): Promise<GatewayCore> {
  return GatewayCore.start({
    config: GatewayConfigSchema.parse({
      gateway: { site },
      mqtt: { embedded: { port: 0 } },
      http: { listen: "127.0.0.1:0" },
    }),
    dataDir,
  });
}

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API, each checked by the tests' expects
type Json = any;

/**
 * The gateway's API under /api/v1 as its first administrator: `call` answers
 * the status and the JSON; `must` answers the JSON, and throws with the status
 * and the error on a status of 300 or more.
 */
export function adminApi(gateway: GatewayCore) {
  const headers = {
    authorization: `Bearer ${gateway.firstAdminToken}`,
    "content-type": "application/json",
  };
  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${gateway.url}/api/v1${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  // The simulators' JSON client: a status of 300 or more throws with what the gateway said.
  const api = new JsonApi(`${gateway.url}/api/v1`, gateway.firstAdminToken);
  const must = (method: string, path: string, body?: unknown): Promise<Json> =>
    api.call<Json>(method, path, body);
  return { call, must };
}
