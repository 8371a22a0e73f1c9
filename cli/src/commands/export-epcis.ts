import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { API_TOKEN_HELP } from "../api-token.js";
import { CliError, type CliIO, type Command, stringOption, UsageError } from "../command.js";
import { type GatewayTarget, gatewayTarget } from "../gateway-api.js";

/** The document the gateway writes ends so; a stream that stops short of it was cut. */
const DOCUMENT_END = "]}}\n";
/** The query parameter each option becomes, to name a refused one by its option. */
const QUERY = { from: "from", to: "to", epc: "epc", "biz-step": "bizStep" } as const;
const BIZ_STEPS = ["receiving", "storing", "picking", "shipping", "retail_selling"];

export const exportEpcis: Command = {
  name: "export epcis",
  summary: "the site's movements as an EPCIS 2.0 JSON-LD document (GS1), to a file or stdout",
  usage:
    "--gateway URL [--token-file F] [--from ISO] [--to ISO] [--epc HEX] [--biz-step STEP] [--out FILE]",
  help: `Streams GET /api/v1/epcis/events into FILE, or to stdout: ObjectEvents for receiving,
storing, picking, shipping and counter sales (retail_selling), with their read points, business
locations and documents (purchase and sales orders, despatch advices, invoices). A long range
is written as it arrives, never held in memory. FILE is written under a temporary name beside
it, synced and renamed when the whole document has arrived, so a reader never sees half of it;
an export cut short leaves nothing and exits 1.

  --gateway URL     the gateway
${API_TOKEN_HELP}
                    (a token whose role reads movements: admin, accounting, warehouse, viewer)
  --from ISO        movements the gateway recorded at or after this time (2026-03-01T00:00:00Z)
  --to ISO          … and before this time
  --epc HEX         one item's history
  --biz-step STEP   only ${BIZ_STEPS.join(", ")}
  --out FILE        write FILE instead of stdout

Example: comptoir export epcis --gateway https://gateway:8443 --token-file ~/.comptoir-token \\
           --from 2026-03-01T00:00:00+01:00 --to 2026-04-01T00:00:00+02:00 --out march.jsonld`,
  options: {
    gateway: { type: "string" },
    token: { type: "string" },
    "token-file": { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    epc: { type: "string" },
    "biz-step": { type: "string" },
    out: { type: "string" },
  },
  positionals: { min: 0, max: 0 },
  async run({ values, io }) {
    const target = await gatewayTarget(values, io);
    const query = new URLSearchParams();
    for (const [option, parameter] of Object.entries(QUERY)) {
      const value = stringOption(values, option);
      if (value !== undefined) query.set(parameter, value);
    }
    const out = stringOption(values, "out");
    const search = query.toString();
    const response = await request(target, `/epcis/events${search ? `?${search}` : ""}`);
    if (response.status === 400) throw await badQuery(response);
    if (!response.ok || !response.body) throw await refused(response, target);
    const body = response.body;
    if (out === undefined) {
      const { events, complete } = await copy(body, (chunk) => writeOut(io, chunk));
      if (!complete) throw cutShort("stdout");
      io.stderr.write(`${events} event${events === 1 ? "" : "s"} written\n`);
      return 0;
    }
    const events = await writeFileWhole(out, body);
    io.stdout.write(`wrote ${out}: ${events} event${events === 1 ? "" : "s"}\n`);
    return 0;
  },
};

async function request(target: GatewayTarget, path: string): Promise<Response> {
  try {
    return await fetch(`${target.gateway}/api/v1${path}`, {
      headers: { authorization: `Bearer ${target.token}`, accept: "application/ld+json" },
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new CliError(
      `cannot reach the gateway at ${target.gateway}: ${cause} — check --gateway and that the gateway runs`,
    );
  }
}

interface ErrorBody {
  error?: { message?: string; problems?: { path: string; message: string }[] };
}

async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  const text = await response.text();
  try {
    return (JSON.parse(text) as ErrorBody).error ?? { message: text.slice(0, 200) };
  } catch {
    return { message: text.slice(0, 200) };
  }
}

/** The gateway's 400, each problem named by the option it came from. */
async function badQuery(response: Response): Promise<UsageError> {
  const error = await errorOf(response);
  const option = (path: string) => {
    const found = Object.entries(QUERY).find(([, parameter]) => parameter === path);
    return found ? `--${found[0]}` : path || "options";
  };
  const problems = error?.problems?.map((p) => `${option(p.path)}: ${p.message}`) ?? [
    error?.message ?? "invalid options",
  ];
  return new UsageError(problems.join("; "));
}

async function refused(response: Response, target: GatewayTarget): Promise<CliError> {
  const error = await errorOf(response);
  const hint =
    response.status === 401 || response.status === 403
      ? "use a token of role admin, accounting, warehouse or viewer"
      : `check the gateway at ${target.gateway}`;
  return new CliError(
    `the gateway refused the export (HTTP ${response.status}): ${error?.message ?? "no detail"} — ${hint}`,
  );
}

function cutShort(where: string): CliError {
  return new CliError(
    `the export to ${where} stopped before the end of the document (the gateway or the network failed) — run it again`,
  );
}

/**
 * Passes each chunk of the body to `write`, counting events (each starts a
 * line) and checking that the document ended: its last bytes are kept
 * across chunks.
 */
async function copy(
  body: ReadableStream<Uint8Array>,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<{ events: number; complete: boolean }> {
  const decoder = new TextDecoder();
  let tail = "";
  let events = 0;
  const reader = body.getReader();
  for (;;) {
    let read: Awaited<ReturnType<typeof reader.read>>;
    try {
      read = await reader.read();
    } catch {
      // The connection broke: what arrived is not a document.
      return { events, complete: false };
    }
    if (read.done) break;
    const chunk = read.value;
    await write(chunk);
    const text = tail + decoder.decode(chunk, { stream: true });
    events += text.split('\n{"type":"ObjectEvent"').length - 1;
    tail = text.slice(-24);
  }
  return { events, complete: tail.endsWith(DOCUMENT_END) };
}

function writeOut(io: CliIO, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    // Waits for the pipe to drain: a slow reader (| less) holds the export back.
    io.stdout.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

/** Writes FILE under a temporary name, syncs and renames it once the document is whole. */
async function writeFileWhole(file: string, body: ReadableStream<Uint8Array>): Promise<number> {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.part`);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(temporary, "w");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(
      `cannot write beside ${file}: ${reason} — check that its folder exists and is writable`,
    );
  }
  try {
    const { events, complete } = await copy(body, async (chunk) => {
      await handle.write(chunk);
    });
    if (!complete) throw cutShort(file);
    await handle.sync();
    await handle.close();
    await rename(temporary, file);
    return events;
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temporary, { force: true });
    if (error instanceof CliError) throw error;
    throw new CliError(
      `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} — check the disk and the folder`,
    );
  }
}
