import { apiToken } from "./api-token.js";
import { CliError, type CliIO, type OptionValues, requireOption, UsageError } from "./command.js";

/** The gateway an API command talks to, and the token it sends. */
export interface GatewayTarget {
  gateway: string;
  token: string;
}

/** `--gateway` (an http(s) URL) and the API token (COMPTOIR_TOKEN, --token-file). */
export async function gatewayTarget(values: OptionValues, io: CliIO): Promise<GatewayTarget> {
  const gateway = requireOption(values, "gateway").replace(/\/+$/, "");
  if (!/^https?:\/\//.test(gateway))
    throw new UsageError(
      `--gateway must be an http(s) URL such as http://gateway:8080, not "${gateway}"`,
    );
  return { gateway, token: await apiToken(values, io) };
}

/** GETs `/api/v1<path>`: the status and the JSON answer, as `postToGateway` gives them. */
export async function getFromGateway(
  to: GatewayTarget,
  path: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return callGateway(to, path, { method: "GET" });
}

/**
 * POSTs `body` to `/api/v1<path>`: the status and the JSON answer (a text
 * answer kept as its error message); an unreachable gateway is a CliError.
 */
export async function postToGateway(
  to: GatewayTarget,
  path: string,
  body: string | Uint8Array,
  type: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return callGateway(to, path, {
    method: "POST",
    headers: { "content-type": type },
    body,
  });
}

async function callGateway(
  to: GatewayTarget,
  path: string,
  init: { method: string; headers?: Record<string, string>; body?: string | Uint8Array },
): Promise<{ status: number; json: Record<string, unknown> }> {
  let response: Response;
  try {
    response = await fetch(`${to.gateway}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${to.token}`, ...init.headers },
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new CliError(
      `cannot reach the gateway at ${to.gateway}: ${cause} — check --gateway and that the gateway runs`,
    );
  }
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { error: { message: text.slice(0, 200) } };
  }
  return { status: response.status, json };
}
