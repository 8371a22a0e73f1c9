import { hostname, networkInterfaces } from "node:os";
import type { MiddlewareHandler } from "hono";
import { sendError } from "../errors.js";

/**
 * The Host names the node answers to. A page on some web site can make a
 * browser on the shop's network resolve its own name to this node (DNS
 * rebinding) and then talk to it as if same-origin; such requests still
 * carry that foreign name in Host, so answering only to known names stops
 * them. Known: localhost, the loopback addresses, the listen host, this
 * machine's name and its own addresses, and `http.allowedHosts`.
 */
export function allowedHostNames(
  listenHost: string | undefined,
  extra: readonly string[],
): Set<string> {
  const names = ["localhost", "127.0.0.1", "::1", hostname(), `${hostname()}.local`, ...extra];
  if (listenHost && listenHost !== "0.0.0.0" && listenHost !== "::") names.push(listenHost);
  for (const list of Object.values(networkInterfaces()))
    for (const address of list ?? []) names.push(address.address);
  return new Set(names.map(normalise));
}

/** Refuses (421) a request whose Host is not one of `allowed`. */
export function hostCheck(allowed: Set<string>): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    if (!allowed.has(normalise(stripPort(host))))
      return sendError(
        c,
        421,
        "unknown_host",
        `this node does not answer to the host name "${host}" — open it by an address or name the node knows, or add the name to http.allowedHosts in the node's config`,
        "host",
      );
    return next();
  };
}

function stripPort(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]"));
  const colon = host.lastIndexOf(":");
  return colon > 0 && host.indexOf(":") === colon ? host.slice(0, colon) : host;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}
