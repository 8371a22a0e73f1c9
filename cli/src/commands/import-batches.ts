import { readFile } from "node:fs/promises";
import { decodeUtf8 } from "@comptoir/contracts";
import type { ParseResult } from "@comptoir/gateway/file-readers";
import { CliError, type CliIO } from "../command.js";
import { type GatewayTarget, postToGateway } from "../gateway-api.js";

/**
 * What \`comptoir import invoices\` and \`comptoir import payments\` share: a
 * file read strictly, its problems printed, and its items sent in batches
 * that the gateway checks whole before any is imported.
 */

/** Items per request for CSV and JSON files. */
export const DEFAULT_BATCH = 500;

/** The options both import commands take: where the gateway is, the token, and the batch size. */
export const IMPORT_OPTIONS = {
  gateway: { type: "string" },
  token: { type: "string" },
  "token-file": { type: "string" },
  batch: { type: "string" },
} as const;

/**
 * The gateway's refusal: its listed problems (the first ten) on their own
 * lines first, then the one-line error the command ends with.
 */
export function refusal(
  io: CliIO,
  status: number,
  json: Record<string, unknown>,
  what: string,
  kept: string,
): CliError {
  const error = (json.error ?? {}) as {
    message?: string;
    problems?: { path: string; message: string }[];
  };
  for (const problem of (error.problems ?? []).slice(0, 10))
    io.stderr.write(`  ${problem.path}: ${problem.message}\n`);
  return new CliError(
    `${what}: the gateway refused it (HTTP ${status}): ${error.message ?? "no detail"} — ${kept}`,
  );
}

export function printProblems<T>(
  result: ParseResult<T>,
  file: string,
  io: CliIO,
): result is Extract<ParseResult<T>, { ok: true }> {
  if (result.ok) return true;
  io.stderr.write(
    `${file}: refused, nothing sent — ${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}:\n`,
  );
  for (const problem of result.problems)
    io.stderr.write(`  ${problem.path ? `${problem.path}: ` : ""}${problem.message}\n`);
  return false;
}

function progress(io: CliIO, verb: string, done: number, total: number, what: string) {
  const line = `${verb} ${done.toLocaleString("en")}/${total.toLocaleString("en")} ${what}`;
  io.stderr.write(io.stderr.isTTY ? `\r${line}` : `${line}\n`);
}

/** Problems listed at most, so that a file of duplicates does not flood the terminal. */
const MAX_LISTED = 100;

/** A file's items sent in batches of `size`: where, with what query, and how each batch is written. */
export interface Batches<T> {
  path: string;
  /** "" or "?a=b&c=d". */
  query: string;
  items: readonly T[];
  size: number;
  /** "invoice", "payment": for messages. */
  noun: string;
  /** How an item is named in messages: its invoice number, its payment id. */
  name(item: T): string;
  body(chunk: readonly T[]): { body: string; type: string };
}

/**
 * Has the gateway check every batch without storing anything
 * (?dryRun=true), so that a file is imported whole or not at all: the
 * problems of every batch are listed by the item's place in the file
 * (the gateway locates them as `[index].field` in the batch), then the
 * command ends without having imported anything. Duplicates inside the
 * file were already refused by the parse, before any batch was sent.
 */
async function checkBatches<T>(
  io: CliIO,
  to: GatewayTarget,
  file: string,
  batches: Batches<T>,
): Promise<void> {
  const { items, size, noun } = batches;
  const total = items.length;
  const problems: string[] = [];
  const statuses = new Set<number>();
  const checkQuery = `${batches.query ? `${batches.query}&` : "?"}dryRun=true`;
  for (let start = 0; start < total; start += size) {
    const chunk = items.slice(start, start + size);
    const { body, type } = batches.body(chunk);
    const answer = await postToGateway(to, `${batches.path}${checkQuery}`, body, type);
    if (answer.status !== 200) {
      const listed = ((answer.json.error as { problems?: unknown } | undefined)?.problems ??
        []) as { path: string; message: string }[];
      // Not a problem of the items (a wrong token, a gateway error): nothing more to check.
      if (![400, 409, 422].includes(answer.status) || listed.length === 0) {
        if (io.stderr.isTTY && total > size) io.stderr.write("\n");
        throw refusal(
          io,
          answer.status,
          answer.json,
          `${noun}s ${start + 1} to ${start + chunk.length}`,
          "nothing was imported",
        );
      }
      statuses.add(answer.status);
      for (const problem of listed) problems.push(inFile(problem, start, batches));
    }
    if (total > size) progress(io, "checking", start + chunk.length, total, `${noun}s`);
  }
  if (problems.length === 0) return;
  if (io.stderr.isTTY && total > size) io.stderr.write("\n");
  const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  io.stderr.write(`${file}: refused by the gateway, nothing imported — ${count}:\n`);
  for (const line of problems.slice(0, MAX_LISTED)) io.stderr.write(`  ${line}\n`);
  if (problems.length > MAX_LISTED)
    io.stderr.write(`  … and ${problems.length - MAX_LISTED} more\n`);
  throw new CliError(
    `${file}: the gateway refused it (HTTP ${[...statuses].join(", ")}): ${count} — nothing was imported; fix the file and run the command again`,
  );
}

/**
 * Sends every batch for real, after checkBatches passed; the answer of each.
 * Should one still be refused (someone imported the same items in between),
 * says which batches before it stay imported.
 */
async function importBatches<T>(
  io: CliIO,
  to: GatewayTarget,
  batches: Batches<T>,
): Promise<Record<string, unknown>[]> {
  const { items, size, noun } = batches;
  const total = items.length;
  const answers: Record<string, unknown>[] = [];
  for (let start = 0; start < total; start += size) {
    const chunk = items.slice(start, start + size);
    const { body, type } = batches.body(chunk);
    const answer = await postToGateway(to, `${batches.path}${batches.query}`, body, type);
    if (answer.status !== 201) {
      if (io.stderr.isTTY) io.stderr.write("\n");
      const last = items[start - 1];
      const kept =
        start === 0 || !last
          ? "nothing was imported"
          : `${noun}s 1 to ${start} (up to ${batches.name(last)}) were imported; rerun without them`;
      throw refusal(
        io,
        answer.status,
        answer.json,
        `${noun}s ${start + 1} to ${start + chunk.length}`,
        kept,
      );
    }
    answers.push(answer.json);
    if (total > size) progress(io, "importing", start + chunk.length, total, `${noun}s`);
  }
  if (total > size && io.stderr.isTTY) io.stderr.write("\n");
  return answers;
}

/** A problem the gateway located in a batch (`[3].number`), placed in the file: `invoice 1204 of 2000 (F-1204), number: …`. */
function inFile<T>(
  problem: { path: string; message: string },
  start: number,
  batches: Batches<T>,
): string {
  const located = /^\[(\d+)\](?:\.(.+))?$/.exec(problem.path);
  if (!located) return `${problem.path ? `${problem.path}: ` : ""}${problem.message}`;
  const index = start + Number(located[1]);
  const item = batches.items[index];
  const place = `${batches.noun} ${index + 1} of ${batches.items.length}${item ? ` (${batches.name(item)})` : ""}`;
  return `${place}${located[2] ? `, ${located[2]}` : ""}: ${problem.message}`;
}

export async function readInput(file: string): Promise<string>;
export async function readInput(file: string, binary: "binary"): Promise<Uint8Array>;
/** The file's text, or its bytes when `binary` (a PDF is never decoded as text). */
export async function readInput(file: string, binary?: "binary"): Promise<string | Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (binary) return bytes;
  // Strictly: a lenient decoding would send U+FFFD in place of the bad bytes, and the gateway store it.
  const text = decodeUtf8(bytes);
  if (!text.ok)
    throw new CliError(
      `${file} is not valid UTF-8 at line ${text.line} (byte offset ${text.offset}) — save it as UTF-8 and import it again`,
    );
  return text.text;
}

/**
 * The whole file or nothing: every batch checked by the gateway first
 * (checkBatches), then every batch imported (importBatches); the answer of each.
 */
export async function sendBatches<T>(
  io: CliIO,
  to: GatewayTarget,
  file: string,
  batches: Batches<T>,
): Promise<Record<string, unknown>[]> {
  await checkBatches(io, to, file, batches);
  return importBatches(io, to, batches);
}
