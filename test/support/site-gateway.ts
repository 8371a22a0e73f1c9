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
