import { Cron } from "croner";
import { z } from "zod";

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week),
 * read by croner in the site's time zone (`gateway.timeZone`). Checked here,
 * so that a typo stops the gateway at start with its path, not at 07:00.
 */
export const CronExpressionSchema = z
  .string()
  .min(1)
  .max(200)
  .superRefine((text, ctx) => {
    try {
      new Cron(text, { paused: true, mode: "5-part" });
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        message: `"${text}" is not a cron expression (${error instanceof Error ? error.message : String(error)}) — five fields: minute hour day month weekday, such as "0 7 * * 1-5"`,
      });
    }
  });

/** The files the nightly export writes to `<fileDrop.directory>/outbound/`. */
export const OutboundExportKindSchema = z.enum([
  /** The payments, credit notes and write-offs applied since the previous export, with their letters. */
  "payment-letters",
  "aged-balance",
  "reconciliation",
  "valuation",
]);
export type OutboundExportKind = z.infer<typeof OutboundExportKindSchema>;

const job = (cron: string) =>
  z
    .strictObject({
      /** false: the job never runs on its own (an admin can still run it: POST /schedules/<job>/run). */
      enabled: z.boolean().default(true),
      cron: CronExpressionSchema.default(cron),
    })
    .prefault({});

/**
 * The gateway's scheduled jobs, in the site's time zone. A run missed while
 * the gateway was stopped happens once at the next start. The defaults suit
 * a French SME: reminders at 07:00 on weekdays, reconciliation every quarter
 * of an hour, the ERP's files at 23:30 for its night batch.
 */
export const SchedulesConfigSchema = z.strictObject({
  /** The dunning run (what POST /dunning/run does): letters to `dunning.webhook` or the outbox. */
  dunning: job("0 7 * * 1-5"),
  /** A full reconciliation, announcing discrepancies that appeared with time alone (grace periods). */
  reconciliation: job("*/15 * * * *"),
  /** The CSV files for the ERP, to `<fileDrop.directory>/outbound/` (nothing without `fileDrop.directory`). */
  exports: z
    .strictObject({
      enabled: z.boolean().default(true),
      cron: CronExpressionSchema.default("30 23 * * *"),
      kinds: z
        .array(OutboundExportKindSchema)
        .min(1)
        .default(["payment-letters", "aged-balance", "reconciliation", "valuation"]),
    })
    .prefault({}),
});
export type SchedulesConfig = z.infer<typeof SchedulesConfigSchema>;
