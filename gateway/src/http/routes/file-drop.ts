import { z } from "zod";
import { FileDropJournal, INBOUND_KINDS } from "../../file-drop/index.js";
import type { RouteDeps } from "../context.js";
import { RouteGroup } from "../route-group.js";

const OUTCOMES = ["imported", "refused", "duplicate"] as const;

const FileDropQuery = z.strictObject({
  kind: z.enum(INBOUND_KINDS).optional().describe("only files of this inbound folder"),
  outcome: z.enum(OUTCOMES).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .describe("at most this many, newest first"),
});

const ProblemSchema = z.object({ path: z.string(), message: z.string() });

const FileRecordSchema = z.object({
  id: z.number().int(),
  kind: z.enum(INBOUND_KINDS),
  name: z.string().describe("the file's name as dropped"),
  sha256: z.string(),
  size: z.number().int(),
  outcome: z
    .enum(OUTCOMES)
    .describe(
      "imported (archived); refused (error/, with <file>.errors.txt); duplicate: the same content as a file imported before (error/, nothing imported again)",
    ),
  format: z.string().nullable(),
  count: z
    .number()
    .int()
    .describe("records imported from it (invoices, payments, orders); 0 when refused"),
  problems: z
    .array(ProblemSchema)
    .describe("every problem, by line or XPath, as in its errors.txt"),
  notes: z.array(z.string()),
  takenAt: z.string(),
  movedTo: z
    .string()
    .nullable()
    .describe(
      "archive/<name> or error/<name> inside inbound/<kind>/; null while the move is pending",
    ),
});

const WatcherSchema = z.object({
  directory: z.string(),
  pollMs: z.number().int(),
  settleMs: z.number().int(),
  lastScanAt: z.string().nullable(),
  lastError: z
    .string()
    .nullable()
    .describe("why the last scan could not list a folder (an unmounted share…)"),
  kinds: z.array(
    z.object({
      kind: z.enum(INBOUND_KINDS),
      folder: z.string(),
      available: z
        .boolean()
        .describe("false: this gateway cannot import the kind yet; its files wait in the folder"),
      formats: z.array(z.string()),
      waiting: z
        .number()
        .int()
        .describe("files in the folder not taken yet (settling, or waiting)"),
    }),
  ),
  retrying: z.array(
    z.object({
      kind: z.enum(INBOUND_KINDS),
      name: z.string(),
      error: z.string(),
      retryAt: z.string(),
    }),
  ),
});

const FileDropAnswer = z.object({
  enabled: z.boolean().describe("false: fileDrop.directory is not set in the gateway config"),
  watcher: WatcherSchema.nullable(),
  files: z.array(FileRecordSchema),
});

/** The inbound file drop as an operator follows it: the folders' state and the files taken lately. */
export function fileDropRoutes(deps: RouteDeps): RouteGroup {
  const journal = new FileDropJournal(deps.store.db);
  return new RouteGroup(deps.tokens).route(
    {
      method: "get",
      path: "/file-drop",
      summary:
        "the inbound file drop (fileDrop.directory): each folder's state, and the files taken, newest first, with their outcome (imported, refused, duplicate), the records imported and every problem by line or XPath",
      permission: "receivables:read",
      query: FileDropQuery,
      responses: { 200: { description: "the file drop", schema: FileDropAnswer } },
      errors: [400],
    },
    (c) => {
      const { kind, outcome, limit } = c.req.valid("query");
      const watcher = deps.fileDrop?.status() ?? null;
      return c.json({
        enabled: watcher !== null,
        watcher,
        files: journal.recent({
          limit,
          ...(kind ? { kind } : {}),
          ...(outcome ? { outcome } : {}),
        }),
      });
    },
  );
}
