import { z } from "zod";
import type { OpenAmount } from "./aging.js";
import { daysBetween } from "./dates.js";
import type { PayerProfile } from "./payer-profile.js";

export const DunningLevelSchema = z.strictObject({
  level: z.number().int().min(0).max(20),
  name: z.string().min(1).max(60),
  /** Days relative to the due date; negative: a courtesy reminder before it is due. */
  days: z.number().int().min(-90).max(365),
  /** A fixed recovery fee added by this level, minor units (40.00 EUR in France). */
  fee: z.number().int().min(0).default(0),
  /** The final level: the customer's credit is blocked until paid. */
  blockCredit: z.boolean().default(false),
});

export const DunningConfigSchema = z.strictObject({
  levels: z
    .array(DunningLevelSchema)
    .min(1)
    .max(10)
    .refine(
      (levels) => levels.every((level, i) => i === 0 || level.days > (levels[i - 1]?.days ?? 0)),
      "must be in increasing order of days",
    )
    .default([
      { level: 0, name: "courtesy", days: -5, fee: 0, blockCredit: false },
      { level: 1, name: "reminder-1", days: 7, fee: 0, blockCredit: false },
      { level: 2, name: "reminder-2", days: 15, fee: 4000, blockCredit: false },
      { level: 3, name: "final", days: 30, fee: 0, blockCredit: true },
    ]),
  /** A customer whose average days late reaches this is a late payer: no courtesy, and levels come earlier. */
  latePayerDays: z.number().int().min(1).default(10),
  latePayerAdvanceDays: z.number().int().min(0).max(30).default(3),
});
export type DunningConfig = z.infer<typeof DunningConfigSchema>;
export type DunningLevel = z.infer<typeof DunningLevelSchema>;

/** A letter already sent, as recorded. */
export interface SentLetter {
  customer: string;
  kind: "reminder" | "thank-you";
  level: number | null;
  /** Items covered: "F-1" or "F-1#2" for an instalment. */
  items: string[];
  fee: number;
  at: string;
}

export interface LetterItem {
  document: string;
  part?: number;
  issueDate: string;
  dueDate: string;
  open: number;
  daysPastDue: number;
  level: number | null;
}

export interface Letter {
  /** Stable for the same customer, level and items, so that a run sends it once. */
  id: string;
  customer: string;
  kind: "reminder" | "thank-you";
  level: number | null;
  levelName: string | null;
  status: "due" | "held";
  holdReason: string | null;
  items: LetterItem[];
  /** Open amount of the items, plus the fee. */
  total: number;
  fee: number;
  blockCredit: boolean;
  latePayer: boolean;
}

export interface DunningInput {
  asOf: string;
  /** Positive open amounts (invoices and instalments) of every customer. */
  open: readonly OpenAmount[];
  /** Each customer's unmatched receipts (payments not applied), minor units. */
  unmatched: ReadonlyMap<string, number>;
  profiles: ReadonlyMap<string, PayerProfile>;
  history: readonly SentLetter[];
}

export const itemKey = (item: { document: string; part?: number }) =>
  item.part === undefined ? item.document : `${item.document}#${item.part}`;

/**
 * The reminders due as of a date: one letter per customer listing every
 * item at a level (overdue, or in the courtesy window), at the highest
 * level any item reached, sent only when that level is higher than what
 * those items already got. A customer with an unmatched receipt is held
 * for review (the money may be for these very invoices). A customer who
 * was reminded and has since paid everything gets one thank-you.
 */
export function planDunning(input: DunningInput, config: DunningConfig): Letter[] {
  const byCustomer = new Map<string, OpenAmount[]>();
  for (const item of input.open) {
    if (item.open <= 0 || item.kind === "payment" || item.kind === "credit-note") continue;
    byCustomer.set(item.customer, [...(byCustomer.get(item.customer) ?? []), item]);
  }
  const historyOf = new Map<string, SentLetter[]>();
  for (const letter of [...input.history].sort((a, b) => a.at.localeCompare(b.at))) {
    historyOf.set(letter.customer, [...(historyOf.get(letter.customer) ?? []), letter]);
  }
  const letters: Letter[] = [];
  for (const [customer, items] of [...byCustomer].sort(([a], [b]) => a.localeCompare(b))) {
    const profile = input.profiles.get(customer);
    const latePayer =
      (profile?.averageDaysLate ?? Number.NEGATIVE_INFINITY) >= config.latePayerDays;
    const levels = latePayer ? config.levels.filter((level) => level.days >= 0) : config.levels;
    const advance = latePayer ? config.latePayerAdvanceDays : 0;
    const listed: LetterItem[] = [];
    for (const item of items) {
      const daysPastDue = daysBetween(item.dueDate, input.asOf);
      const reached = levels.filter((level) => daysPastDue + advance >= level.days).at(-1);
      if (!reached && daysPastDue <= 0) continue;
      listed.push({
        document: item.document,
        ...(item.part !== undefined ? { part: item.part } : {}),
        issueDate: item.issueDate,
        dueDate: item.dueDate,
        open: item.open,
        daysPastDue,
        level: reached?.level ?? null,
      });
    }
    const top = listed.reduce<number | null>(
      (max, item) => (item.level !== null && (max === null || item.level > max) ? item.level : max),
      null,
    );
    if (top === null) continue;
    const keys = new Set(listed.map(itemKey));
    const past = (historyOf.get(customer) ?? []).filter(
      (letter) => letter.kind === "reminder" && letter.items.some((key) => keys.has(key)),
    );
    const alreadySent = past.reduce((max, letter) => Math.max(max, letter.level ?? -1), -1);
    if (top <= alreadySent) continue;
    const level = levels.find((candidate) => candidate.level === top) as DunningLevel;
    const feeCharged = past.some((letter) => letter.fee > 0 && (letter.level ?? -1) >= top);
    const fee = feeCharged ? 0 : level.fee;
    const unmatched = input.unmatched.get(customer) ?? 0;
    listed.sort(
      (a, b) => a.dueDate.localeCompare(b.dueDate) || a.document.localeCompare(b.document),
    );
    letters.push({
      id: `${customer}:${level.name}:${input.asOf}`,
      customer,
      kind: "reminder",
      level: top,
      levelName: level.name,
      status: unmatched > 0 ? "held" : "due",
      holdReason:
        unmatched > 0
          ? `the customer has ${unmatched} minor units received and not matched: apply them before reminding`
          : null,
      items: listed,
      total: listed.reduce((sum, item) => sum + item.open, 0) + fee,
      fee,
      blockCredit: level.blockCredit,
      latePayer,
    });
  }
  // Thank-you: the last letter was a reminder and none of its items is still open.
  for (const [customer, sent] of [...historyOf].sort(([a], [b]) => a.localeCompare(b))) {
    const last = sent.at(-1);
    if (last?.kind !== "reminder") continue;
    const stillOpen = new Set((byCustomer.get(customer) ?? []).map(itemKey));
    if (last.items.some((key) => stillOpen.has(key))) continue;
    letters.push({
      id: `${customer}:thank-you:${input.asOf}`,
      customer,
      kind: "thank-you",
      level: null,
      levelName: null,
      status: "due",
      holdReason: null,
      items: [],
      total: 0,
      fee: 0,
      blockCredit: false,
      latePayer: false,
    });
  }
  return letters;
}
