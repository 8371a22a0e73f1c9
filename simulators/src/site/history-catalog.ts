import type { Dice } from "./pace.js";

/**
 * The cast of a generated site history: products with valid GTINs (the
 * simulated tags encode them as SGTIN-96), customers with their payment
 * habits, and the suppliers that restock the warehouse.
 */
export interface HistoryProduct {
  sku: string;
  gtin: string;
  /** Minor units, VAT excluded. */
  unitPrice: number;
  unitCost: number;
  supplier: string;
}

/** How a customer pays: on time, late, by statements without invoice numbers, or partly. */
export type PayerHabit = "on-time" | "late" | "statement" | "partial";

export interface HistoryCustomer {
  id: string;
  /** What the bank export shows as the payer: the gateway identifies the customer by it. */
  name: string;
  paymentTermsDays: number;
  habit: PayerHabit;
}

export interface HistorySupplier {
  id: string;
  /** Prefix of its invoice numbers. */
  prefix: string;
}

const CUSTOMERS: readonly Omit<HistoryCustomer, "habit">[] = [
  { id: "bati-renov", name: "Bati Renov SARL", paymentTermsDays: 30 },
  { id: "menuiserie-roux", name: "Menuiserie Roux", paymentTermsDays: 45 },
  { id: "elec-plus", name: "Elec Plus", paymentTermsDays: 30 },
  { id: "atelier-moreau", name: "Atelier Moreau", paymentTermsDays: 30 },
  { id: "mairie-voiron", name: "Mairie de Voiron", paymentTermsDays: 60 },
  { id: "plomberie-gaudin", name: "Plomberie Gaudin", paymentTermsDays: 30 },
  { id: "toitures-bernard", name: "Toitures Bernard", paymentTermsDays: 45 },
  { id: "jardins-perrin", name: "Jardins Perrin", paymentTermsDays: 30 },
];
const HABITS: readonly PayerHabit[] = ["on-time", "late", "statement", "partial"];

export const HISTORY_SUPPLIERS: readonly HistorySupplier[] = [
  { id: "Outillage Martin SA", prefix: "OM" },
  { id: "Fixations Leroy", prefix: "FL" },
];

/** GS1 check digit of the first 13 digits of a GTIN-14. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function historyCatalog(dice: Dice, skus: number, customers: number) {
  if (customers > CUSTOMERS.length)
    throw new RangeError(`at most ${CUSTOMERS.length} customers, asked for ${customers}`);
  if (skus < 1 || skus > 99) throw new RangeError(`1 to 99 SKUs, asked for ${skus}`);
  const products: HistoryProduct[] = Array.from({ length: skus }, (_, index) => {
    const body = `0376012345${String(index + 1).padStart(3, "0")}`;
    const unitPrice = dice.int(3, 180) * 50 + (dice.chance(0.5) ? 0 : 40);
    return {
      sku: `SKU-${String(index + 1).padStart(3, "0")}`,
      gtin: `${body}${gtinCheckDigit(body)}`,
      unitPrice,
      unitCost: Math.round(unitPrice * 0.6),
      supplier: (HISTORY_SUPPLIERS[index % HISTORY_SUPPLIERS.length] as HistorySupplier).id,
    };
  });
  // Every habit is present whatever the seed: the first ones go round the list.
  const cast: HistoryCustomer[] = CUSTOMERS.slice(0, customers).map((customer, index) => ({
    ...customer,
    habit: index < HABITS.length ? (HABITS[index] as PayerHabit) : dice.pick(HABITS),
  }));
  return { products, customers: cast, suppliers: HISTORY_SUPPLIERS };
}
