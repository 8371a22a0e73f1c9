import { CommissionBody, type Commissioned } from "@comptoir/contracts";
import { Hono } from "hono";
import { decodeIdentity } from "../../readers/identity.js";
import type { RouteDeps } from "../context.js";
import { Refusal } from "../errors.js";
import { valid } from "../validate.js";

/**
 * `POST /tags/commission`: a tag is one item of a SKU. An SGTIN tag carries
 * its GTIN, which is recorded with it; a GTIN that contradicts the tag is
 * refused, and so is naming another SKU for a tag already commissioned.
 */
export function tagRoutes({ api, serial }: RouteDeps) {
  return new Hono().post("/tags/commission", valid("json", CommissionBody), (c) =>
    serial(async () => {
      const { epc, sku, gtin } = c.req.valid("json");
      const identity = decodeIdentity(epc);
      const tagGtin = identity?.scheme === "sgtin-96" ? identity.gtin : undefined;
      if (gtin && tagGtin && gtin !== tagGtin) {
        throw new Refusal(
          "gtin_mismatch",
          `tag ${epc} is an SGTIN of GTIN ${tagGtin}, not ${gtin} — leave the GTIN out or correct it`,
          "gtin",
        );
      }
      const known = api.tag(epc).place?.sku ?? null;
      if (known !== null && known !== sku) {
        throw new Refusal(
          "already_commissioned",
          `tag ${epc} is already commissioned as ${known}; a tag is one item, its SKU does not change`,
          "sku",
        );
      }
      const recordedGtin = gtin ?? tagGtin;
      if (known === sku)
        return c.json({ epc, sku, seq: null, unchanged: true } satisfies Commissioned, 200);
      const entry = await api.commission({
        epc,
        sku,
        ...(recordedGtin ? { gtin: recordedGtin } : {}),
      });
      return c.json(
        {
          epc,
          sku,
          ...(recordedGtin ? { gtin: recordedGtin } : {}),
          seq: entry.seq,
        } satisfies Commissioned,
        201,
      );
    }),
  );
}
