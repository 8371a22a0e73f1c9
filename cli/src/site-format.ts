import { DEFAULT_LOCALE, formatMoney, SiteFormatSchema } from "@comptoir/contracts";
import type { GatewayTarget } from "./gateway-api.js";

/** Writes minor units of a currency as money: "1 487,00 €" on a fr-FR site. */
export type MoneyWriter = (minor: number, currency: string) => string;

/**
 * The command line's money, written like the dashboard's: through Intl in
 * the site's locale, asked of the gateway (`GET /api/v1/site`). A gateway
 * that does not answer it (an older one) leaves the default locale: the
 * command's work is done either way, only its summary is written.
 */
export async function siteMoney(to: GatewayTarget): Promise<MoneyWriter> {
  let locale = DEFAULT_LOCALE;
  try {
    const response = await fetch(`${to.gateway}/api/v1/site`, {
      headers: { accept: "application/json" },
    });
    const site = SiteFormatSchema.safeParse(response.ok ? await response.json() : null);
    if (site.success) locale = site.data.locale;
  } catch {
    // Unreachable now although the import just went through: the default locale will do.
  }
  return (minor, currency) => formatMoney(minor, currency, locale);
}
