import type { MiddlewareHandler } from "hono";
import { sendError } from "./errors.js";

/** The content types of a JSON body (those hono's validator reads; it takes any other as `{}`). */
export const JSON_CONTENT_TYPE = /^application\/([\w.-]+\+)?json$/i;

export interface JsonBodyOptions {
  /** The methods whose body must be JSON. */
  methods: readonly string[];
  /** A request with no body at all (an action such as an undo) needs no content type. */
  allowNoBody?: boolean;
  /** Paths that take another format (file imports): their route checks the content type. */
  exempt?: RegExp;
}

/** 415 for a body that is not sent as JSON, naming the content type it came with. */
export function requireJsonBody(options: JsonBodyOptions): MiddlewareHandler {
  return async (c, next) => {
    if (options.methods.includes(c.req.method)) {
      const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
      const noBody =
        options.allowNoBody === true &&
        !type &&
        (c.req.header("content-length") ?? "0") === "0" &&
        !c.req.header("transfer-encoding");
      if (!noBody && !JSON_CONTENT_TYPE.test(type) && !options.exempt?.test(c.req.path)) {
        return sendError(
          c,
          415,
          "not_json",
          `send the request body as JSON with Content-Type: application/json (got ${type || "none"})`,
        );
      }
    }
    return next();
  };
}
