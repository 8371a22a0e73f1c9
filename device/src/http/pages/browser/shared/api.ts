import type { NodeErrorBody } from "@comptoir/contracts";
import { isObj, isStr } from "@comptoir/contracts/browser";
import { askToken, forgetToken, storedToken } from "./token.js";

/** A request the node refused: its status and, when it sent one, its error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: NodeErrorBody | null,
  ) {
    super(body ? body.error.message : `HTTP ${status}`);
  }
}

/** An error body's parts a page reads, each checked: a problem names its message, a decision its reasons. */
const isProblem = (v: unknown) =>
  isObj(v) && isStr(v.message) && (v.path === undefined || isStr(v.path));
const isDecision = (v: unknown) =>
  isObj(v) && isStr(v.decision) && Array.isArray(v.reasons) && v.reasons.every(isObj);
/** A dock refusal's reasons (issue 15): each names its message. */
const isReasons = (v: unknown) =>
  v === undefined || (Array.isArray(v) && v.every((r) => isObj(r) && isStr(r.message)));

/** The network is untrusted: the error shape is checked before a page reads it. */
function isErrorBody(value: unknown): value is NodeErrorBody {
  if (!isObj(value) || !isObj(value.error)) return false;
  const { code, message, problems, reasons } = value.error;
  return (
    isStr(code) &&
    isStr(message) &&
    isReasons(reasons) &&
    (problems === undefined || (Array.isArray(problems) && problems.every(isProblem))) &&
    (value.decision === undefined || isDecision(value.decision))
  );
}

// The signed-in clerk's session (POS): in memory only, a reload signs out.
let clerkSession: string | null = null;

export function setClerkSession(session: string | null): void {
  clerkSession = session;
}

export function authHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const token = storedToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (clerkSession) headers["x-clerk-session"] = clerkSession;
  return headers;
}

/** On a 401 for the terminal token, forgets a bad one and asks for it; true when it asked. */
export function needsToken(status: number, data: NodeErrorBody | null): boolean {
  const code = data?.error.code;
  if (status === 401 && data && (code === "no_token" || code === "bad_token")) {
    if (code === "bad_token") forgetToken();
    askToken(data.error.message);
    return true;
  }
  return false;
}

/** The error body of a refused response, when it has the API's error shape. */
export async function errorBodyOf(response: Response): Promise<NodeErrorBody | null> {
  const data: unknown = await response.json().catch(() => null);
  return isErrorBody(data) ? data : null;
}

/**
 * One call of the node's API under /api/v1. `T` is the answer's type from
 * @comptoir/contracts, the type the node's own route checks its answer against
 * (same origin, same build): the answer is not parsed again here.
 */
export async function api<T>(method: "GET" | "POST" | "PUT", path: string, body?: unknown) {
  const headers: Record<string, string> = { accept: "application/json", ...authHeaders() };
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(`/api/v1${path}`, init);
  if (!response.ok) {
    const data = await errorBodyOf(response);
    needsToken(response.status, data);
    throw new ApiError(response.status, data);
  }
  return (await response.json()) as T;
}
