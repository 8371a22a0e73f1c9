import { siteTopics } from "@comptoir/contracts";
import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { describe, expect, it } from "vitest";
import { publishSiteFormat, siteFormatOf } from "./site-format.js";

describe("the site's formats published to nodes", () => {
  it("publishes gateway.locale, gateway.timeZone and credit.currency retained on `locale`", async () => {
    const config = GatewayConfigSchema.parse({
      gateway: { site: "lyon-1", locale: "fr-FR", timeZone: "Europe/Paris" },
      credit: { currency: "CHF" },
    });
    const sent: { topic: string; payload: string; retain: boolean | undefined }[] = [];
    const bus = {
      publish: async (topic: string, payload: string | Buffer, options: { retain?: boolean }) => {
        sent.push({ topic, payload: String(payload), retain: options.retain });
      },
    };
    await publishSiteFormat(bus, "lyon-1", siteFormatOf(config));
    expect(sent).toEqual([
      {
        topic: siteTopics("lyon-1").locale(),
        payload: JSON.stringify({ locale: "fr-FR", currency: "CHF", timeZone: "Europe/Paris" }),
        retain: true,
      },
    ]);
  });

  it("leaves the zone out when the config sets none", () => {
    const config = GatewayConfigSchema.parse({ gateway: { site: "lyon-1" } });
    expect(siteFormatOf(config)).toEqual({ locale: "en-GB", currency: "EUR" });
  });
});
