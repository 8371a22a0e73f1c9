import { z } from "zod";

/**
 * Keyset paging: a page's `next` is where it ended (a tuple the store
 * chose), handed to clients as an opaque string they pass back as `before`.
 */
export function encodePageCursor(cursor: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** The `before` query parameter: a `next` of ours, decoded and checked against `shape`. */
export function beforeCursor<T extends z.ZodType>(shape: T) {
  return z
    .string()
    .max(400)
    .transform((text, ctx): z.output<T> => {
      const cursor = decodePageCursor(shape, text);
      if (cursor === undefined) {
        ctx.addIssue({ code: "custom", message: "must be the `next` value of a previous page" });
        return z.NEVER;
      }
      return cursor;
    })
    .optional()
    .describe("the `next` value of the previous page");
}

function decodePageCursor<T extends z.ZodType>(shape: T, text: string): z.output<T> | undefined {
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
