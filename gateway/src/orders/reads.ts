import type { OrderState, OrderView } from "@comptoir/contracts";
import type { CreditService } from "../credit/service.js";
import type { CreditStatement } from "../credit/statements.js";
import type { ProgressReader } from "./progress.js";
import type { OrderRecords, OrderRow } from "./records.js";
import { orderView, toRelease } from "./views.js";

/**
 * Orders as the API answers them: each with its lines' progress, its
 * history, and for a held one what would release it now (read on the
 * customer's live statement, once per customer in a list).
 */
export class OrderReads {
  constructor(
    private readonly records: OrderRecords,
    private readonly progress: ProgressReader,
    private readonly credit: Pick<CreditService, "statement" | "policy" | "catalog">,
  ) {}

  get(number: string): OrderView | undefined {
    const row = this.records.get(number);
    return row ? this.view(row) : undefined;
  }

  list(filter: { state?: OrderState; customer?: string; limit?: number }) {
    const statements = new Map<string, CreditStatement | undefined>();
    const orders = this.records.list(filter).map((row) => this.view(row, statements));
    return { orders, counts: this.records.counts() };
  }

  view(row: OrderRow, statements = new Map<string, CreditStatement | undefined>()): OrderView {
    let amount: number | null = null;
    if (row.state === "held") {
      if (!statements.has(row.customer))
        statements.set(row.customer, this.credit.statement(row.customer));
      const statement = statements.get(row.customer);
      if (statement)
        amount = toRelease(row, statement, this.records.held(row.customer), this.credit.policy);
    }
    return orderView(row, {
      catalog: this.credit.catalog,
      progress: this.progress,
      events: this.records.events(row.number),
      toRelease: amount,
    });
  }
}
