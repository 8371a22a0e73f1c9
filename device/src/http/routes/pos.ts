import {
  BasketAddBody,
  BasketRemoveBody,
  CheckBody,
  type ClerkSignedIn,
  OverrideBody,
  type PosClerks,
  PosCustomerParam,
  PosCustomerQuery,
  type PosCustomers,
  type PosStanding,
  type PosStatus,
  type PosSupervisors,
  type PricedBasketView,
  type RecordedDecision,
  SaleBody,
  SignInBody,
  type Sold,
} from "@comptoir/contracts";
import { assetNamed, PAGE_CSP } from "@comptoir/contracts/browser-build";
import type { Context } from "hono";
import { Hono } from "hono";
import { PosRefusal } from "../../pos/errors.js";
import type { PosService } from "../../pos/service.js";
import type { PosEvent } from "../../pos/types.js";
import { cappedStream } from "../capped-stream.js";
import type { RouteDeps } from "../context.js";
import { sendError } from "../errors.js";
import { loadPosAssets } from "../pages/bundle.js";
import { POS_HTML } from "../pages/pos-html.js";
import { pumpEvents } from "../sse-pump.js";
import { valid } from "../validate.js";

/** The header a till sends its clerk's session in (kept in the page's memory, never in a URL). */
export const CLERK_SESSION_HEADER = "x-clerk-session";

/** A refusal answers in the one error shape; a credit block carries the recorded decision too. */
function refused(c: Context, error: PosRefusal) {
  if (error.retryAfterSeconds !== undefined)
    c.header("Retry-After", String(error.retryAfterSeconds));
  return c.json(
    {
      error: {
        code: error.code,
        message: error.message,
        ...(error.path ? { path: error.path } : {}),
      },
      ...(error.decision ? { decision: error.decision } : {}),
      ...(error.belowCost ? { belowCost: error.belowCost } : {}),
    },
    error.status,
  );
}

/** The clerk signed in on this request's terminal; undefined when none (the caller answers 401). */
function signedIn(c: Context, pos: PosService): string | undefined {
  return pos.clerkSessions.use(c.req.header(CLERK_SESSION_HEADER), c.get("terminal").name);
}

function notSignedIn(c: Context) {
  return sendError(
    c,
    401,
    "clerk_not_signed_in",
    "no clerk is signed in on this terminal (or the sign-in has expired) — sign in with the clerk's id and PIN: POST /api/v1/pos/clerk/sign-in",
    "clerk",
  );
}

/** Runs `work` as the signed-in clerk; 401 when there is none. */
async function asClerk(
  c: Context,
  pos: PosService,
  work: (clerk: string) => Promise<Response>,
): Promise<Response> {
  const clerk = signedIn(c, pos);
  if (!clerk) return notSignedIn(c);
  return guarded(c, () => work(clerk));
}

async function guarded(c: Context, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PosRefusal) return refused(c, error);
    throw error;
  }
}

/**
 * `/pos/*` of the local API on counter nodes: customers from the credit
 * cache, the basket, and check / sale / override. State changes run one at
 * a time (`serial`), so a decision and the sale it allows cannot interleave
 * with another sale of the same customer. A check is not serialised: it
 * decides and starts its append in one synchronous step, so concurrent
 * checks share a group commit; a sale re-decides under `serial`.
 */
export function posRoutes({ serial, log, heartbeatMs, streams }: RouteDeps, pos: PosService) {
  return new Hono()
    .get("/pos/status", (c) => {
      const catalog = pos.catalog();
      return c.json({
        online: pos.online,
        catalog: catalog
          ? {
              version: catalog.version,
              asOf: catalog.asOf,
              currency: catalog.currency,
              products: catalog.products.length,
            }
          : null,
      } satisfies PosStatus);
    })
    .get("/pos/supervisors", (c) =>
      c.json({ supervisors: pos.supervisors() } satisfies PosSupervisors),
    )
    .get("/pos/clerks", (c) => c.json({ clerks: pos.clerks() } satisfies PosClerks))
    .post("/pos/clerk/sign-in", valid("json", SignInBody), (c) =>
      serial(() =>
        guarded(c, async () => {
          const { clerk, pin } = c.req.valid("json");
          return c.json(
            (await pos.signIn(clerk, pin, c.get("terminal").name)) satisfies ClerkSignedIn,
            201,
          );
        }),
      ),
    )
    .get("/pos/clerk", (c) => {
      const clerk = signedIn(c, pos);
      if (!clerk) return notSignedIn(c);
      return c.json({ clerk: { id: clerk, name: pos.clerkName(clerk) ?? clerk } });
    })
    .post("/pos/clerk/sign-out", (c) => {
      pos.clerkSessions.close(c.req.header(CLERK_SESSION_HEADER));
      return c.json({ signedOut: true });
    })
    .get("/pos/customers", valid("query", PosCustomerQuery), (c) =>
      c.json({ customers: pos.customers(c.req.valid("query").q) } satisfies PosCustomers),
    )
    .get("/pos/customers/:customer", valid("param", PosCustomerParam), (c) => {
      const { customer } = c.req.valid("param");
      const standing = pos.standing(customer);
      if (!standing)
        return sendError(
          c,
          404,
          "unknown_customer",
          `no credit data for customer ${customer} on this counter yet`,
          "customer",
        );
      return c.json(standing satisfies PosStanding);
    })
    .get("/pos/basket", (c) => c.json(pos.pricedBasket() satisfies PricedBasketView))
    .post("/pos/basket/remove", valid("json", BasketRemoveBody), (c) =>
      serial(async () => {
        const { epc, gtin } = c.req.valid("json");
        const done =
          epc !== undefined ? pos.basket.removeTag(epc) : pos.basket.removeGtin(gtin as string);
        if (!done)
          return sendError(
            c,
            422,
            "not_in_basket",
            `${epc ?? gtin} is not in the basket`,
            epc !== undefined ? "epc" : "gtin",
          );
        pos.basketChanged();
        return c.json(pos.pricedBasket() satisfies PricedBasketView);
      }),
    )
    .post("/pos/basket/add", valid("json", BasketAddBody), (c) =>
      serial(async () => {
        const { gtin, quantity } = c.req.valid("json");
        const catalog = pos.catalog();
        if (!catalog?.products.some((p) => p.gtin === gtin))
          return sendError(
            c,
            422,
            "unknown_product",
            `GTIN ${gtin} is not in the catalog — check the code`,
            "gtin",
          );
        pos.basket.addGtin(gtin, quantity);
        pos.basketChanged();
        return c.json(pos.pricedBasket() satisfies PricedBasketView);
      }),
    )
    .post("/pos/basket/clear", (c) =>
      serial(async () => {
        pos.basket.clear();
        pos.basketChanged();
        return c.json(pos.pricedBasket() satisfies PricedBasketView);
      }),
    )
    .post("/pos/check", valid("json", CheckBody), (c) => {
      // The busiest route of a counter: answered in one synchronous step, no promise chain.
      const clerk = signedIn(c, pos);
      if (!clerk) return notSignedIn(c);
      try {
        return c.json(pos.check({ ...c.req.valid("json"), clerk }) satisfies RecordedDecision, 201);
      } catch (error) {
        if (error instanceof PosRefusal) return refused(c, error);
        throw error;
      }
    })
    .post("/pos/sale", valid("json", SaleBody), (c) =>
      serial(() =>
        asClerk(c, pos, async (clerk) =>
          c.json((await pos.sale({ ...c.req.valid("json"), clerk })) satisfies Sold, 201),
        ),
      ),
    )
    .post("/pos/override", valid("json", OverrideBody), (c) =>
      serial(() =>
        asClerk(c, pos, async (clerk) =>
          c.json((await pos.override({ ...c.req.valid("json"), clerk })) satisfies Sold, 201),
        ),
      ),
    )
    .get("/pos/events", (c) =>
      cappedStream(c, { streams }, async (stream) => {
        try {
          // A page only needs the latest basket and link state; credit events are few.
          await pumpEvents<PosEvent>(stream, {
            hello: { online: pos.online },
            subscribe: (listener) => pos.subscribe(listener),
            heartbeatMs,
            maxQueued: 200,
          });
        } catch (error) {
          log.warn({ err: error }, "POS event stream ended with an error");
        }
      }),
    );
}

/** The POS page at `/pos`, and its script and style under `/pos/` (pages/bundle.ts): no third party. */
export function posPageRoutes() {
  const headers = {
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
  };
  return new Hono()
    .get("/pos", (c) => c.html(POS_HTML, 200, headers))
    .get("/pos/:name", async (c) => {
      const asset = assetNamed(await loadPosAssets(), c.req.param("name"));
      if (!asset) return c.notFound();
      return c.body(asset.body, 200, { ...headers, "Content-Type": asset.type });
    });
}
