import { z } from "zod";

/**
 * Analytics alerts (issue 16): a margin under its floor or under cost, a
 * slow mover, a product to reorder. Each is raised once per crossing: the
 * same subject raises again only after it was cleared (the margin of a
 * later sale, the product moving again, stock back above the point plus the
 * hysteresis).
 */
export const ANALYTICS_ALERT_KINDS = [
  "below-cost",
  "below-margin",
  "slow-mover",
  "old-stock",
  "reorder",
] as const;
export const AnalyticsAlertKindSchema = z.enum(ANALYTICS_ALERT_KINDS);
export type AnalyticsAlertKind = z.infer<typeof AnalyticsAlertKindSchema>;

export const AnalyticsAlertSchema = z.object({
  id: z.number().int(),
  kind: AnalyticsAlertKindSchema,
  /** What it is about, stable across raises: `sku`, `sku@zone`, `invoice:<no>:<line>`, `sale:<id>:<sku>`. */
  subject: z.string(),
  sku: z.string().nullable(),
  message: z.string().describe("a sentence a manager can read, with the figures"),
  raisedAt: z.string(),
  clearedAt: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).describe("the figures behind it"),
});
export type AnalyticsAlertView = z.infer<typeof AnalyticsAlertSchema>;

export const AnalyticsAlertListSchema = z.object({
  alerts: z.array(AnalyticsAlertSchema),
});
export type AnalyticsAlertListView = z.infer<typeof AnalyticsAlertListSchema>;
