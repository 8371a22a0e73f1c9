import {
  type Logger,
  type SiteFormat,
  SiteFormatSchema,
  silentLogger,
  siteTopics,
} from "@comptoir/contracts";
import type { GatewayConfig } from "@comptoir/firmware-config";
import type { GatewayBus } from "../bus/bus.js";

/**
 * The site's formats: `gateway.locale` and `gateway.timeZone` with the
 * currency receivables are kept in (`credit.currency`). The dashboard reads
 * them from `GET /api/v1/site`, nodes from the retained `locale` topic.
 */
export function siteFormatOf(config: Pick<GatewayConfig, "gateway" | "credit">): SiteFormat {
  const { locale, timeZone } = config.gateway;
  return { locale, currency: config.credit.currency, ...(timeZone ? { timeZone } : {}) };
}

/**
 * Publishes the site's formats retained (signed by the bus it is given, like
 * every message to nodes): a node connecting later gets them at once. A
 * failure is logged, not thrown: nodes keep their own until the next start.
 */
export async function publishSiteFormat(
  bus: Pick<GatewayBus, "publish">,
  site: string,
  format: SiteFormat,
  logger: Logger = silentLogger,
): Promise<void> {
  const topic = siteTopics(site).locale();
  try {
    await bus.publish(topic, JSON.stringify(SiteFormatSchema.parse(format)), {
      qos: 1,
      retain: true,
    });
  } catch (error) {
    logger
      .child({ module: "site-format" })
      .warn(
        { err: error, topic },
        "site locale not published: nodes use their own until the next start",
      );
  }
}
