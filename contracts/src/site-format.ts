import { z } from "zod";
import { DEFAULT_LOCALE, type SiteFormat } from "./browser/format.js";
import { CurrencySchema } from "./money.js";

export * from "./browser/format.js";

/**
 * The site's locale, currency and time zone as configs and messages carry
 * them (the formatting itself: browser/format.ts, shared with the pages).
 * The gateway publishes its own, retained and signed, on `locale`; a node
 * formats with it once heard, with its own config's before.
 */

/**
 * A BCP 47 tag this runtime has formatting data for ("fr-FR", "en-GB",
 * "de-CH"). Refused: what is not a tag ("en_US"), and a tag Intl would
 * silently format as something else ("xx-YY" falls back to the default).
 */
export const LocaleSchema = z
  .string()
  .min(2)
  .max(64)
  .superRefine((tag, ctx) => {
    let canonical: string[];
    try {
      canonical = Intl.getCanonicalLocales(tag);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: `"${tag}" is not a BCP 47 language tag: write one such as fr-FR, en-GB or de-CH`,
      });
      return;
    }
    const supported =
      Intl.NumberFormat.supportedLocalesOf(canonical).length > 0 &&
      Intl.DateTimeFormat.supportedLocalesOf(canonical).length > 0;
    if (!supported) {
      ctx.addIssue({
        code: "custom",
        message: `no formatting data for the language of "${tag}" in this Node.js: use a language it knows, such as fr-FR or en-GB`,
      });
    }
  })
  .describe("a BCP 47 language tag: fr-FR, en-GB, de-CH");

/** An IANA time zone ("Europe/Paris"), as Intl knows them. */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: "must be an IANA time zone such as Europe/Paris" },
  )
  .describe("an IANA time zone: Europe/Paris, America/Montreal");

/** `locale`, retained: the gateway's site formats, which nodes show instead of their own. */
export const SiteFormatSchema = z.strictObject({
  locale: LocaleSchema,
  currency: CurrencySchema,
  timeZone: TimeZoneSchema.optional(),
});

// The schema and the browser's interface are the same shape: checked here, not kept twice by hand.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameShape: Same<z.infer<typeof SiteFormatSchema>, SiteFormat> = true;
void _sameShape;

/** What a site without a locale setting formats with: `DEFAULT_LOCALE`, in `currency`. */
export function defaultSiteFormat(currency: string): SiteFormat {
  return { locale: DEFAULT_LOCALE, currency };
}
