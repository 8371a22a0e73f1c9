import { stream } from "hono/streaming";
import { z } from "zod";
import {
  EPCIS_CONTEXT,
  EPCIS_EVENT_EPCS,
  EPCIS_GAP_MS,
  epcisDocument,
} from "../../epcis/document.js";
import { BIZ_STEPS, kindOf } from "../../epcis/vocabulary.js";
import type { RouteDeps } from "../context.js";
import { RouteGroup } from "../route-group.js";
import { EpcInput, TimeInput } from "../schemas.js";

export const EpcisEventsQuery = z
  .strictObject({
    from: TimeInput.optional().describe(
      "movements recorded by the gateway (EPCIS recordTime) at or after this ISO 8601 time",
    ),
    to: TimeInput.optional().describe("recorded before this time"),
    epc: EpcInput.optional().describe("only this item (EPC in hex): its own history"),
    bizStep: z.enum(BIZ_STEPS).optional().describe("only this CBV business step"),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: "from must not be after to — swap them",
    path: ["from"],
  });

/** The document's shape, for the OpenAPI document; the tests hold it to GS1's JSON schema. */
const EpcisDocumentSchema = z.object({
  "@context": z.array(z.literal(EPCIS_CONTEXT)),
  type: z.literal("EPCISDocument"),
  schemaVersion: z.literal("2.0"),
  creationDate: z.string(),
  epcisBody: z.object({
    eventList: z.array(
      z.object({
        type: z.literal("ObjectEvent"),
        eventTime: z.string().describe("when observed, by the node's clock, in the site's zone"),
        eventTimeZoneOffset: z.string(),
        recordTime: z.string().describe("when the gateway received the event's last movement"),
        epcList: z.array(z.string()).describe("pure-identity URIs, or the site's URI of the tag"),
        action: z.literal("OBSERVE"),
        bizStep: z.enum(BIZ_STEPS),
        disposition: z.string(),
        readPoint: z.object({ id: z.string() }),
        bizLocation: z.object({ id: z.string() }).optional(),
        bizTransactionList: z
          .array(z.object({ type: z.enum(["po", "desadv", "inv"]), bizTransaction: z.string() }))
          .optional(),
      }),
    ),
  }),
});

export function epcisRoutes(deps: RouteDeps): RouteGroup {
  const log = deps.log.child({ module: "http:epcis" });
  return new RouteGroup(deps.tokens).route(
    {
      method: "get",
      path: "/epcis/events",
      summary: `EPCIS 2.0 JSON-LD document of ObjectEvents made from movements (receiving, storing, picking, shipping, retail_selling), streamed however long the range: a node's movements of one kind, zones and document observed within ${EPCIS_GAP_MS / 1000} s make one event, of at most ${EPCIS_EVENT_EPCS} EPCs; adjustments are not exported`,
      permission: "movements:read",
      query: EpcisEventsQuery,
      responses: {
        200: {
          description: "an EPCISDocument, valid against GS1's EPCIS 2.0 JSON schema",
          contentType: "application/ld+json",
          schema: EpcisDocumentSchema,
        },
      },
      errors: [400],
    },
    (c) => {
      const { from, to, epc, bizStep } = c.req.valid("query");
      const chunks = epcisDocument(deps.store.db, {
        filter: {
          ...(from ? { from: from.toISOString() } : {}),
          ...(to ? { to: to.toISOString() } : {}),
          ...(epc ? { epc } : {}),
          ...(bizStep ? { kind: kindOf(bizStep) } : {}),
        },
        site: {
          ...deps.epcis,
          ...(deps.site.timeZone && !deps.epcis.timeZone ? { timeZone: deps.site.timeZone } : {}),
        },
        createdAt: deps.clock.now().toISOString(),
      });
      c.header("content-type", "application/ld+json; charset=utf-8");
      return stream(c, async (out) => {
        try {
          // Each page is written before the next is read: a slow reader holds the export
          // back (the stream's backpressure), never a whole range in memory.
          for (const chunk of chunks) {
            if (out.aborted) break;
            await out.write(chunk);
          }
        } catch (error) {
          // Past the first byte the status is sent: the document is left without its
          // closing brackets, which a reader (the CLI) refuses as incomplete.
          log.error({ err: error }, "EPCIS export stopped mid-stream");
        } finally {
          chunks.return(undefined);
        }
      });
    },
  );
}
