import type Database from "better-sqlite3";
import { z } from "zod";
import { ofProductSql } from "./identity.js";
import { MOVEMENT_COLUMNS, type MovementDbRow, type MovementRow, toMovement } from "./store.js";

export interface MovementFilter {
  since?: string;
  node?: string;
  sku?: string;
  limit: number;
  /** The `next` cursor of the previous page. */
  after?: MovementCursor;
}

/** Where a page ended: the last movement's receive time, chain and seq. */
export const MovementCursorSchema = z.tuple([z.string(), z.string(), z.number().int()]);
export type MovementCursor = z.infer<typeof MovementCursorSchema>;

/**
 * Movements newest first (receive time descending, then chain, then seq
 * descending: the order of Store.movements), a page at a time. Keyset
 * paging: a page stays right while new movements arrive.
 */
export function movementPage(
  db: Database.Database,
  filter: MovementFilter,
): { movements: MovementRow[]; next: MovementCursor | null } {
  const [r, c, s] = filter.after ?? [null, null, null];
  const rows = db
    .prepare<Record<string, string | number | null>, MovementDbRow>(
      `SELECT ${MOVEMENT_COLUMNS} FROM movements m
       WHERE (@since IS NULL OR m.received_at >= @since)
         AND (@node IS NULL OR m.chain = @node)
         AND (@sku IS NULL OR ${ofProductSql("m")})
         AND (@r IS NULL OR m.received_at < @r
              OR (m.received_at = @r AND (m.chain > @c OR (m.chain = @c AND m.seq < @s))))
       ORDER BY m.received_at DESC, m.chain, m.seq DESC LIMIT @limit`,
    )
    .all({
      since: filter.since ?? null,
      node: filter.node ?? null,
      sku: filter.sku ?? null,
      r,
      c,
      s,
      limit: filter.limit + 1,
    });
  const more = rows.length > filter.limit;
  const page = rows.slice(0, filter.limit).map(toMovement);
  const last = page.at(-1);
  return {
    movements: page,
    next: more && last ? [last.receivedAt, last.chain, last.seq] : null,
  };
}
