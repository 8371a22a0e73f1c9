import { describe, expect, it } from "vitest";
import { apiSetup } from "../../testing/api.js";

describe("GET /api/v1/site", () => {
  it("says the site's locale, currency and zone, without a token", async () => {
    const s = await apiSetup({
      site: { locale: "fr-FR", currency: "EUR", timeZone: "Europe/Paris" },
    });
    const res = await s.call("GET", "/site");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      locale: "fr-FR",
      currency: "EUR",
      timeZone: "Europe/Paris",
    });
  });

  it("answers the default locale and the credit currency when the gateway sets none", async () => {
    const s = await apiSetup();
    expect(await (await s.call("GET", "/site", { role: "viewer" })).json()).toEqual({
      locale: "en-GB",
      currency: "EUR",
    });
  });
});
