import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { GatewayCore } from "@comptoir/gateway";

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
 * the status and the JSON; `must` answers the JSON, and throws with both on a
 * status of 300 or more.
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
  const must = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const answer = await call(method, path, body);
    if (answer.status >= 300)
      throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  return { call, must };
}
