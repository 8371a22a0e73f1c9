import type { DsoReportView } from "@comptoir/contracts";
import type { Database } from "better-sqlite3";
import { type AgedBalance, type AgingBasis, agedBalance } from "./aging.js";
import { monthBounds, previousMonth } from "./dates.js";
import { accountingDso, countbackDso } from "./dso.js";
import { type DunningConfig, DunningConfigSchema, type Letter, planDunning } from "./dunning.js";
import type { DunningRecord } from "./outbox.js";
import { type PayerProfile, payerProfiles } from "./payer-profile.js";
import {
  openAmounts,
  receivableBalance,
  salesBetween,
  settledInvoices,
  UNIDENTIFIED,
} from "./source.js";

/** The aged balance of every customer (or one) as of a date, with the directly computed balance it must equal. */
export function agingReport(
  db: Database,
  asOf: string,
  basis: AgingBasis,
  currency: string,
  customer?: string,
): AgedBalance & { balance: number | null } {
  const aged = agedBalance(openAmounts(db, asOf, customer), asOf, basis, currency);
  return { ...aged, balance: customer ? null : receivableBalance(db, asOf) };
}

/** The DSO report is the dashboard's too: its shape is defined once, in contracts. */
export type DsoReport = DsoReportView;

/** DSO for a month "YYYY-MM": receivables at its last day, sales VAT included; countback over up to 24 months. */
export function dsoReport(db: Database, period: string, currency: string): DsoReport {
  const bounds = monthBounds(period);
  const receivables = receivableBalance(db, bounds.last);
  const sales = salesBetween(db, bounds.first, bounds.last);
  const months: { month: string; days: number; sales: number }[] = [];
  let month = period;
  for (let i = 0; i < 24; i++) {
    const m = monthBounds(month);
    months.push({ month, days: m.days, sales: salesBetween(db, m.first, m.last) });
    month = previousMonth(month);
  }
  const countback = countbackDso(receivables, months);
  return {
    period,
    days: bounds.days,
    receivables,
    sales,
    currency,
    accounting: accountingDso(receivables, sales, bounds.days),
    countback: countback.days,
    countbackExhausted: countback.exhausted,
    walk: countback.walk,
  };
}

export function payerReport(db: Database, asOf: string): PayerProfile[] {
  return [...payerProfiles(settledInvoices(db, asOf)).values()].sort((a, b) =>
    a.customer.localeCompare(b.customer),
  );
}

/** The letters due as of a date, from open items, unmatched receipts, payer profiles and what was already sent. */
export function dunningQueue(
  db: Database,
  asOf: string,
  config: DunningConfig,
  record: DunningRecord,
): Letter[] {
  const amounts = openAmounts(db, asOf);
  const unmatched = new Map<string, number>();
  for (const amount of amounts) {
    if (amount.kind !== "payment" || amount.customer === UNIDENTIFIED) continue;
    unmatched.set(amount.customer, (unmatched.get(amount.customer) ?? 0) - amount.open);
  }
  return planDunning(
    {
      asOf,
      open: amounts.filter((amount) => amount.open > 0),
      unmatched,
      profiles: payerProfiles(settledInvoices(db, asOf)),
      history: record.history(),
    },
    config,
  );
}

/** The site's dunning levels, kept in the store (PUT /dunning/config); the defaults of the rules otherwise. */
export class DunningSettings {
  constructor(private readonly db: Database) {
    db.exec(
      "CREATE TABLE IF NOT EXISTS dunning_config (id INTEGER PRIMARY KEY CHECK (id = 1), config TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT",
    );
  }

  get(): DunningConfig {
    const row = this.db
      .prepare<[], { config: string }>("SELECT config FROM dunning_config WHERE id = 1")
      .get();
    return DunningConfigSchema.parse(row ? JSON.parse(row.config) : {});
  }

  set(config: DunningConfig, at: string): void {
    this.db
      .prepare(
        "INSERT INTO dunning_config (id, config, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
      )
      .run(JSON.stringify(config), at);
  }
}
