import type { Context } from "hono";

/** A CSV export as a download named `name`.csv (RFC 4180 text, UTF-8): every `?format=csv` answers this way. */
export function csvDownload(c: Context, body: string, name: string) {
  return c.body(body, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${name}.csv"`,
  });
}
