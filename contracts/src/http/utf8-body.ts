import type { Context } from "hono";
import { decodeUtf8, invalidUtf8JsonProblem } from "../utf8.js";
import { errorBody } from "./errors.js";
import { JSON_CONTENT_TYPE } from "./json-body.js";

/**
 * A JSON body, read once: refused (400) when it is not UTF-8, naming the
 * field (the lenient decoding of `c.req.json()` would turn the bad bytes into
 * U+FFFD and store them, in a signed ledger, for good), or when it is not
 * JSON, in the parser's own words (what it met, and where). Without a JSON
 * content type, `{}`, as hono's validator has it (the content-type guard
 * has refused other bodies already).
 */
export async function readJsonBody(
  c: Context,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (!JSON_CONTENT_TYPE.test(type)) return { ok: true, value: {} };
  const body = await strictBodyText(c, "json");
  if (!body.ok) return body;
  try {
    return { ok: true, value: JSON.parse(body.text) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const message = `invalid request body: not valid JSON (${detail}) — send the body as JSON`;
    return {
      ok: false,
      response: c.json(
        errorBody("invalid_input", message, undefined, [{ path: "", message }]),
        400,
      ),
    };
  }
}

/**
 * The text of a CSV, XML or JSON file sent as the body, or a 400: for JSON
 * naming the field, else the line and byte of the first sequence that is
 * not UTF-8 (a file saved as Latin-1 or Windows-1252: save it as UTF-8 again).
 */
export async function strictBodyText(
  c: Context,
  format: string,
): Promise<{ ok: true; text: string } | { ok: false; response: Response }> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const decoded = decodeUtf8(bytes);
  if (decoded.ok) return decoded;
  if (format === "json") {
    const problem = invalidUtf8JsonProblem(bytes, decoded.offset);
    const message = `invalid request body: ${problem.message}`;
    return {
      ok: false,
      response: c.json(
        errorBody("invalid_input", message, problem.path || undefined, [problem]),
        400,
      ),
    };
  }
  const where = `line ${decoded.line}`;
  const message = `the file is not valid UTF-8 at ${where} (byte offset ${decoded.offset}) — save it as UTF-8 and send it again`;
  return {
    ok: false,
    response: c.json(errorBody("invalid_input", message, where, [{ path: where, message }]), 400),
  };
}
