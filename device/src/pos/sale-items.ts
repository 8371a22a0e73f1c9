import type { MovementData, SaleData, SaleLine } from "@comptoir/contracts";
import { decodeIdentity } from "../readers/identity.js";
import { PosRefusal } from "./errors.js";
import type { PosNode } from "./types.js";

/** The items a sale takes: which tags may be sold on a line, and the movement each one leaves with. */

/**
 * Tags must be of the line's product. A tag whose last movement here is a
 * sale was sold: selling it again is a double tap on the screen or a
 * cloned tag. (Recent movements only: the runtime keeps the last 200,
 * which covers a counter's double submit.)
 */
export function checkTags(node: PosNode, lines: SaleLine[]): void {
  const projection = node.stockStore.projection;
  lines.forEach((line, index) => {
    for (const epc of line.epcs) {
      // A commissioned tag is one item of its SKU: it cannot be sold (and priced) as another.
      const sku = projection.tag(epc)?.sku;
      if (sku && sku !== line.sku && sku !== line.gtin) {
        throw new PosRefusal(
          422,
          "wrong_product",
          `item ${epc} is ${sku}, not ${line.sku} — sell it on a line of its own product`,
          `lines[${index}].epcs`,
        );
      }
      if (node.tag(epc).movements[0]?.kind === "sale") {
        throw new PosRefusal(
          422,
          "already_sold",
          `item ${epc} was already sold — take it off the counter and check the receipt`,
          `lines[${index}].epcs`,
        );
      }
    }
  });
}

/**
 * The item leaves with what its tag says: an SGTIN's own GTIN (the gateway
 * finds the product from it), the SKU it was commissioned to; a tag that is
 * neither was sold as the line's product, which names it.
 */
export function saleMovement(
  node: PosNode,
  reader: string,
  epc: string,
  line: SaleLine,
  sale: SaleData,
): MovementData {
  const place = node.stockStore.projection.tag(epc);
  const identity = decodeIdentity(epc);
  const gtin = identity?.scheme === "sgtin-96" ? identity.gtin : undefined;
  return {
    epc,
    sku: place?.sku ?? (gtin ? null : line.sku),
    ...(gtin ? { gtin } : {}),
    kind: "sale",
    from: place?.zone ?? null,
    to: null,
    reader,
    antennas: [1],
    reads: 1,
    at: sale.at,
    order: sale.id,
    ...(sale.customer ? { customer: sale.customer } : {}),
  };
}
