import type { Context } from "hono";
import { decodeUtf8, invalidUtf8JsonProblem } from "../utf8.js";
import { errorBody } from "./errors.js";

/**
 * A JSON body that is not UTF-8 is refused (400, naming the field) before
 * zod sees it: the lenient decoding of `c.req.json()` would turn the bad
 * bytes into U+FFFD and store them (in a signed ledger, for good). The bytes
 * stay cached in the request, so the validator's `c.req.json()` does not read
 * them again (it decodes them a second time, which on valid UTF-8 gives the same text).
 */
export async function refuseInvalidUtf8Json(c: Context): Promise<Response | undefined> {
  if (!/json/i.test(c.req.header("content-type") ?? "")) return undefined;
  const body = await strictBodyText(c, "json");
  return body.ok ? undefined : body.response;
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
