import { createMiddleware } from "hono/factory";
import type { TokenRecord, TokenStore } from "../auth/tokens.js";
import type { GatewayEnv } from "./context.js";
import { sendError } from "./errors.js";
import { allows, PERMISSIONS, type Permission } from "./roles.js";

/** The bearer value of an `Authorization` header, or undefined. */
export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/**
 * Requires a live token whose role holds `permission`: 401 without one
 * (missing, unknown or revoked), 403 when its role may not.
 */
export function requirePermission(tokens: TokenStore, permission: Permission) {
  return createMiddleware<GatewayEnv>(async (c, next) => {
    const value = bearer(c.req.header("authorization"));
    const token = value === undefined ? undefined : tokens.authenticate(value);
    if (!token) {
      c.header("WWW-Authenticate", 'Bearer realm="comptoir"');
      return sendError(
        c,
        401,
        "unauthorized",
        value === undefined
          ? "no API token: send Authorization: Bearer <token> (create one with comptoir token create)"
          : "this API token is unknown or revoked: ask an admin for a valid one",
      );
    }
    const refusal = forbidden(token, permission);
    if (refusal) return sendError(c, 403, "forbidden", refusal);
    c.set("token", token);
    c.set("actor", { kind: "token", id: token.id });
    return next();
  });
}

/** Why the token's role may not do this, or undefined when it may. */
export function forbidden(token: TokenRecord, permission: Permission): string | undefined {
  if (allows(token.role, permission)) return undefined;
  return `role ${token.role} may not ${permission.replace(":", " ")} (allowed: ${PERMISSIONS[permission].join(", ")})`;
}
