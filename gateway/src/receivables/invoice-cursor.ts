import { z } from "zod";

/** Where a page of GET /invoices ended: the last invoice's issue date, number and row id. */
export const InvoiceCursorSchema = z.tuple([z.string(), z.string(), z.number().int()]);
export type InvoiceCursor = z.infer<typeof InvoiceCursorSchema>;
