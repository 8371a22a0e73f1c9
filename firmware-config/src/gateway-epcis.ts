import { ZoneSchema } from "@comptoir/contracts";
import { z } from "zod";

/** Any absolute URI (a scheme, then something): what EPCIS 2.0 takes as a location id. */
const UriSchema = z
  .string()
  .max(200)
  .regex(
    /^[A-Za-z][A-Za-z0-9+.-]*:[^\s"<>\\^`{|}]+$/,
    "must be a URI such as urn:epc:id:sgln:4012345.00001.dock1",
  );

/**
 * How the EPCIS 2.0 export (`GET /api/v1/epcis/events`) names the site's
 * places and documents. All optional: without a GLN, read points and
 * business locations are the site's own URIs (see `baseUri`).
 */
export const EpcisConfigSchema = z
  .strictObject({
    /**
     * The GS1 Company Prefix of the site's GLN (6 to 12 digits). With
     * `locationReference`, zones become SGLN URNs
     * (`urn:epc:id:sgln:<companyPrefix>.<locationReference>.<zone>`) and the
     * site's own documents CBV business-transaction URNs
     * (`urn:epcglobal:cbv:bt:<GLN>:<number>`).
     */
    companyPrefix: z
      .string()
      .regex(/^\d{6,12}$/, "must be a GS1 Company Prefix: 6 to 12 digits")
      .optional(),
    /** The rest of the site's GLN before its check digit: 12 minus the prefix's digits ("00001"). */
    locationReference: z
      .string()
      .regex(/^\d{0,6}$/, "must be digits")
      .optional(),
    /**
     * A zone's read point when its name is not the SGLN extension wanted, or
     * is longer than the 20 characters an SGLN extension allows: any URI,
     * usually `urn:epc:id:sgln:…`.
     */
    zones: z.record(ZoneSchema, UriSchema).default({}),
    /**
     * Where identifiers without a GS1 key live: tags that are not SGTIN,
     * SSCC or GRAI, zones when no GLN is set, documents of a site without a
     * GLN. An http(s) URL the site controls, ending with "/"
     * ("https://erp.example.fr/epcis/"). Absent: `urn:comptoir:<site>:`.
     */
    baseUri: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .refine((url) => url.endsWith("/"), "must end with /")
      .optional(),
  })
  .superRefine((epcis, context) => {
    const { companyPrefix: prefix, locationReference: reference } = epcis;
    if ((prefix === undefined) !== (reference === undefined))
      context.addIssue({
        code: "custom",
        path: [prefix === undefined ? "companyPrefix" : "locationReference"],
        message: "give both companyPrefix and locationReference (the GLN without its check digit)",
      });
    else if (
      prefix !== undefined &&
      reference !== undefined &&
      prefix.length + reference.length !== 12
    )
      context.addIssue({
        code: "custom",
        path: ["locationReference"],
        message: `must have ${12 - prefix.length} digits: with companyPrefix they make the 12 digits of the GLN before its check digit`,
      });
  });
export type EpcisConfig = z.infer<typeof EpcisConfigSchema>;
