import {
  type BelowCostLine,
  type BelowCostPolicy,
  type Catalog,
  DEFAULT_LOCALE,
  formatMoney,
  type Logger,
  type SaleBelowCost,
  type SaleLine,
} from "@comptoir/contracts";
import { PosRefusal } from "./errors.js";
import type { SupervisorGate } from "./supervisors.js";
import type { SaleInput } from "./types.js";

/**
 * A line is under cost when its unit price is below the cost of the
 * product's next unit, as the catalog the counter holds gives it
 * (`unitCost`, published by the gateway from its valuation). A product
 * without a cost (an older gateway's catalog) is never under cost.
 */
export function linesBelowCost(catalog: Catalog | null, lines: SaleLine[]): BelowCostLine[] {
  if (!catalog) return [];
  const costs = new Map<string, number>();
  for (const product of catalog.products)
    if (product.unitCost !== undefined) costs.set(product.sku, product.unitCost);
  if (costs.size === 0) return [];
  const under: BelowCostLine[] = [];
  lines.forEach((line, index) => {
    const unitCost = costs.get(line.sku);
    if (unitCost !== undefined && line.unitPrice < unitCost)
      under.push({ line: index, sku: line.sku, unitPrice: line.unitPrice, unitCost });
  });
  return under;
}

/** "CHAIR at €120.00 under its cost €150.00; …": how a refusal names the lines, in the site's locale. */
export function describeBelowCost(
  under: BelowCostLine[],
  currency: string,
  locale = DEFAULT_LOCALE,
): string {
  const amount = (minor: number) => formatMoney(minor, currency, locale);
  return under
    .map((l) => `${l.sku} at ${amount(l.unitPrice)} under its cost ${amount(l.unitCost)}`)
    .join("; ");
}

/** A supervisor who let a sale under cost through: verified before this is built. */
export interface BelowCostApproval {
  supervisor: string;
  reason: string;
}

/**
 * What a sale records of its lines under cost, or the refusal when the
 * policy blocks and no supervisor approved. Nothing under cost: undefined
 * (an approval given then is not recorded: there was nothing to approve).
 */
export function belowCostOfSale(
  under: BelowCostLine[],
  policy: BelowCostPolicy,
  currency: string,
  approval?: BelowCostApproval,
  locale?: string,
): SaleBelowCost | undefined {
  if (under.length === 0) return undefined;
  if (approval) return { policy, lines: under, override: approval };
  if (policy === "block") {
    throw new PosRefusal(
      422,
      "below_cost",
      `sale refused: ${describeBelowCost(under, currency, locale)} — change the price in the catalog, take the line off, or a supervisor may override`,
      `lines[${under[0]?.line ?? 0}]`,
      undefined,
      undefined,
      { policy, lines: under },
    );
  }
  return { policy, lines: under };
}

/**
 * A sale's lines under cost: what the sale records, or the refusal (422
 * below_cost) when the policy blocks and no supervisor approved. A
 * supervisor's PIN is checked like a credit override's (403, 429, the same
 * lockouts) before anything is recorded.
 */
export async function saleBelowCost(
  under: BelowCostLine[],
  input: Pick<SaleInput, "clerk" | "belowCostOverride">,
  context: {
    policy: BelowCostPolicy;
    currency: string;
    gate: SupervisorGate;
    log: Logger;
    /** The site's locale a refusal writes its amounts in. */
    locale?: string;
  },
): Promise<SaleBelowCost | undefined> {
  if (under.length === 0) return undefined;
  const asked = input.belowCostOverride;
  let approval: BelowCostApproval | undefined;
  if (asked) {
    const supervisor = await context.gate.verify(asked.supervisor, asked.pin, {
      clerk: input.clerk,
      belowCost: true,
    });
    approval = { supervisor: supervisor.id, reason: asked.reason };
    context.log.info({ clerk: input.clerk, ...approval, lines: under }, "sale under cost approved");
  }
  return belowCostOfSale(under, context.policy, context.currency, approval, context.locale);
}
