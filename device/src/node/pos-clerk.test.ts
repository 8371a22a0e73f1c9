import { describe, expect, it } from "vitest";
import { CLERK, cleanupsAfterEach, entries, setupCounter } from "./testing/index.js";

// The till's clerk comes from a sign-in with a PIN on a terminal token,
// never from the request body.

const cleanups = cleanupsAfterEach();

const CASH_SALE = { payment: "cash", lines: [{ sku: "LAMP", quantity: 1 }] };

async function raw(url: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { error?: { code: string } } & Record<string, unknown>,
  };
}

describe("POS terminals and clerks", () => {
  it("refuses a sale, and customers' credit, to a caller without a terminal token (401)", async () => {
    const { counter } = await setupCounter(cleanups);
    const head = counter.node.runtime.ledger.head.seq;
    expect((await raw(counter.url, "/pos/sale", {}, CASH_SALE)).status).toBe(401);
    expect((await raw(counter.url, "/pos/customers/acme", {})).status).toBe(401);
    expect(counter.node.runtime.ledger.head.seq).toBe(head);
  });

  it("records the signed-in clerk on the sale; a terminal without a signed-in clerk sells nothing", async () => {
    const { counter } = await setupCounter(cleanups);
    const auth = { authorization: `Bearer ${counter.token}` };
    const anonymous = await raw(counter.url, "/pos/sale", auth, CASH_SALE);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error?.code).toBe("clerk_not_signed_in");
    expect(await entries(counter, "sale")).toEqual([]);

    // A body naming a clerk is refused, signed in or not.
    expect(
      (await counter.call("POST", "/pos/sale", { ...CASH_SALE, clerk: "mallory" })).status,
    ).toBe(400);
    const sold = await counter.call("POST", "/pos/sale", CASH_SALE);
    expect(sold.status).toBe(201);
    expect(sold.body.sale.clerk).toBe(CLERK.id);
    expect(
      (await entries(counter, "sale")).map((e) => (e.data as { clerk: string }).clerk),
    ).toEqual([CLERK.id]);
  });

  it("refuses a wrong clerk PIN (403) and, past the limit, the right one too (429)", async () => {
    const { counter } = await setupCounter(cleanups);
    const auth = { authorization: `Bearer ${counter.token}` };
    const signIn = (pin: string) =>
      raw(counter.url, "/pos/clerk/sign-in", auth, { clerk: CLERK.id, pin });
    for (let i = 0; i < 5; i++) expect((await signIn("000000")).status).toBe(403);
    const locked = await signIn(CLERK.pin);
    expect(locked.status).toBe(429);
    expect(locked.body.error?.code).toBe("too_many_attempts");
  });

  it("a clerk's session is good on the terminal that signed in only", async () => {
    const { counter } = await setupCounter(cleanups);
    const auth = { authorization: `Bearer ${counter.token}` };
    const signedIn = await raw(counter.url, "/pos/clerk/sign-in", auth, {
      clerk: CLERK.id,
      pin: CLERK.pin,
    });
    expect(signedIn.status).toBe(201);
    const { issueTerminalToken } = await import("./testing/index.js");
    const other = { authorization: `Bearer ${issueTerminalToken(counter.dataDir, "counter")}` };
    const session = { "x-clerk-session": String(signedIn.body.session) };
    expect((await raw(counter.url, "/pos/sale", { ...other, ...session }, CASH_SALE)).status).toBe(
      401,
    );
    expect((await raw(counter.url, "/pos/sale", { ...auth, ...session }, CASH_SALE)).status).toBe(
      201,
    );
  });
});
