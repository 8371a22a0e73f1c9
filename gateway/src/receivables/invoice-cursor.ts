import { z } from "zod";

/** Where a page of GET /invoices ended: the last invoice's issue date, number and row id. */
export const InvoiceCursorSchema = z.tuple([z.string(), z.string(), z.number().int()]);
export type InvoiceCursor = z.infer<typeof InvoiceCursorSchema>;

/** Opaque to clients: they pass back the `next` they were given. */
export function encodeInvoiceCursor(cursor: InvoiceCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

export function decodeInvoiceCursor(text: string): InvoiceCursor | undefined {
  try {
    const parsed = InvoiceCursorSchema.safeParse(
      JSON.parse(Buffer.from(text, "base64url").toString("utf8")),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
