import { hashPin, TerminalTokens, terminalTokensPath } from "../../index.js";

/**
 * A terminal of a node's local API as a test sees it: a token issued in the
 * node's data directory (as `comptoir node token create` does) and, on a
 * counter, a clerk signed in with their PIN.
 */

export const TEST_CLERK = { id: "lea", name: "Léa", pin: "735109" };

/** `pos.clerks` holding TEST_CLERK, for a counter's config. */
export async function testClerks() {
  return [{ id: TEST_CLERK.id, name: TEST_CLERK.name, pinHash: await hashPin(TEST_CLERK.pin) }];
}

/** Issues a token for a new terminal of the node whose data directory is `dataDir`. */
export function issueTerminalToken(dataDir: string, role: "counter" | "station" | "admin"): string {
  return new TerminalTokens(terminalTokensPath(dataDir)).create(
    `test-${role}-${Math.random().toString(36).slice(2)}`,
    role,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API, each checked by the tests' expects
type Json = any;

export type NodeCall = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; headers: Headers; body: Json }>;

/** Calls under `<url>/api/v1` with `token` (a fresh one by default); on a counter, TEST_CLERK signed in first. */
export async function terminalClient(
  url: string,
  dataDir: string,
  role: "counter" | "station" | "admin",
  token = issueTerminalToken(dataDir, role),
): Promise<NodeCall> {
  let session = "";
  const call: NodeCall = async (method, path, body) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        "x-clerk-session": session,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  };
  if (role === "counter") {
    const signIn = await call("POST", "/pos/clerk/sign-in", {
      clerk: TEST_CLERK.id,
      pin: TEST_CLERK.pin,
    });
    if (signIn.status !== 201)
      throw new Error(`clerk sign-in failed: ${JSON.stringify(signIn.body)}`);
    session = signIn.body.session;
  }
  return call;
}
