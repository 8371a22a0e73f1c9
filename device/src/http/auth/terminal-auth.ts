import type { IncomingMessage } from "node:http";
import { isLoopbackHost } from "@comptoir/contracts";
import type { Context, MiddlewareHandler } from "hono";
import { sendError } from "../errors.js";
import type { Terminal, TerminalRole, TerminalTokens } from "./terminal-tokens.js";

declare module "hono" {
  interface ContextVariableMap {
    /** The terminal that made the request, set by terminalAuth. */
    terminal: Terminal;
  }
}

export interface TerminalAuthOptions {
  tokens: TerminalTokens;
  /** Kiosk mode: a request from this machine (loopback) without a token acts as this role. */
  kiosk?: TerminalRole | undefined;
}

/**
 * Every `/api/v1` request names its terminal with a bearer token (or comes
 * from the node itself in kiosk mode), and the terminal's role must allow
 * the route: the POS (credit included) for `counter`, stock changes for
 * `station`, everything for `admin`; reads of stock for any terminal.
 */
export function terminalAuth({ tokens, kiosk }: TerminalAuthOptions): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header("authorization");
    let terminal: Terminal | undefined;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      terminal = match ? tokens.verify(match[1] as string) : undefined;
      if (!terminal)
        return refuse(
          c,
          401,
          "bad_token",
          "this terminal token is not valid here (revoked, or from another node) — create one with `comptoir node token create` on the node",
        );
    } else if (kiosk && fromThisMachine(c) && sameOrigin(c)) {
      terminal = { name: "kiosk", role: kiosk };
    } else {
      return refuse(
        c,
        401,
        "no_token",
        "this node's API needs a terminal token: create one on the node with `comptoir node token create --name <terminal>` and send it as Authorization: Bearer <token>",
      );
    }
    const path = c.req.path.replace(/^\/api\/v1/, "");
    const needed = roleFor(c.req.method, path);
    if (needed && terminal.role !== needed && terminal.role !== "admin")
      return sendError(
        c,
        403,
        "forbidden",
        `terminal "${terminal.name}" (role ${terminal.role}) may not ${c.req.method} ${c.req.path}: it needs a ${needed} or admin token`,
      );
    c.set("terminal", terminal);
    return next();
  };
}

/** The role a route needs besides admin; undefined: any terminal may. */
function roleFor(method: string, path: string): TerminalRole | undefined {
  if (path === "/pos" || path.startsWith("/pos/")) return "counter";
  if (method === "GET" || method === "HEAD") return undefined;
  return "station";
}

function refuse(c: Context, status: 401, code: string, message: string) {
  c.header("WWW-Authenticate", 'Bearer realm="comptoir-node"');
  return sendError(c, status, code, message);
}

/** A page of another site open in the kiosk's browser must not act as the kiosk. */
function sameOrigin(c: Context): boolean {
  const origin = c.req.header("origin");
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === (c.req.header("host") ?? new URL(c.req.url).host);
  } catch {
    return false;
  }
}

/** True when the TCP peer is this machine (never a header: headers are the caller's to write). */
function fromThisMachine(c: Context): boolean {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return isLoopbackHost(incoming?.socket?.remoteAddress ?? "");
}
