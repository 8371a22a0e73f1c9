import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { sendError } from "./errors.js";

/**
 * hono's bodyLimit, without its cost on the common case. It starts by
 * asking for the request's body stream, which makes the Node adapter build a
 * full web Request for every POST (a tenth of what a credit check costs the
 * counter node). A body with a Content-Length and no Transfer-Encoding
 * cannot be longer than announced (Node's HTTP parser frames it by that
 * length), so the header alone decides, as hono itself would after that
 * step; only chunked bodies are counted as they stream, by hono's own code.
 */
export function fastBodyLimit(options: {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}): MiddlewareHandler {
  const counted = bodyLimit(options);
  return (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      return Number.parseInt(length, 10) > options.maxSize
        ? Promise.resolve(options.onError(c))
        : next();
    }
    return counted(c, next);
  };
}

/** The 413 past `maxBytes`, saying what to send instead (`advice`). */
export function limitBody(maxBytes: number, advice: string): MiddlewareHandler {
  return fastBodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      sendError(c, 413, "body_too_large", `request body over ${maxBytes} bytes — ${advice}`),
  });
}
