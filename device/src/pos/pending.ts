/**
 * The node's own on-account sales that the customer's credit snapshot may
 * not include yet. They count on top of the snapshot's exposure, and
 * offline they are what the offline cap limits.
 *
 * The rule (one sale at ledger seq s, customer c):
 * 1. recorded: pending, counts in full;
 * 2. the gateway acknowledges seq ≥ s (the sale entry is stored there):
 *    still pending, but now waits for a snapshot of c *newer than the one
 *    the node holds at that moment* (`coverVersion`);
 * 3. a snapshot of c with version > coverVersion arrives: the gateway
 *    stored the sale before it published that snapshot, so the snapshot's
 *    exposure includes it — the sale stops counting here.
 * A snapshot that arrives before the ack never clears a sale, so a sale
 * counts at least once and, once covered, never twice.
 */
export interface PendingSale {
  /** The sale's id (SaleData.id). */
  id: string;
  /** Its ledger seq on this node. */
  seq: number;
  customer: string;
  amount: number;
  at: string;
  /** Set at the ack: the snapshot version that must be exceeded (-1: none held). */
  coverVersion: number | null;
}

export class PendingSales {
  private sales: PendingSale[] = [];

  constructor(sales: PendingSale[] = []) {
    this.sales = [...sales].sort((a, b) => a.seq - b.seq);
  }

  add(sale: Omit<PendingSale, "coverVersion">): void {
    if (this.sales.some((known) => known.seq === sale.seq)) return;
    this.sales.push({ ...sale, coverVersion: null });
  }

  /** The gateway stored everything up to `seq`. Returns true when a sale changed state. */
  acknowledged(seq: number, versionOf: (customer: string) => number): boolean {
    let changed = false;
    for (const sale of this.sales) {
      if (sale.seq <= seq && sale.coverVersion === null) {
        sale.coverVersion = versionOf(sale.customer);
        changed = true;
      }
    }
    return changed;
  }

  /** A snapshot of `customer` at `version` arrived. Returns true when a sale stopped counting. */
  snapshot(customer: string, version: number): boolean {
    const before = this.sales.length;
    this.sales = this.sales.filter(
      (sale) =>
        sale.customer !== customer || sale.coverVersion === null || version <= sale.coverVersion,
    );
    return this.sales.length !== before;
  }

  /** What still counts for `customer`, oldest first. */
  of(customer: string): PendingSale[] {
    return this.sales.filter((sale) => sale.customer === customer);
  }

  total(customer: string): number {
    return this.of(customer).reduce((sum, sale) => sum + sale.amount, 0);
  }

  all(): PendingSale[] {
    return this.sales.map((sale) => ({ ...sale }));
  }
}
