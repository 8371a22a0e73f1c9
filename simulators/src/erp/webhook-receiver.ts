import { appendFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { WebhookEnvelopeSchema, type WebhookEventType } from "@comptoir/contracts";
import { verifyWebhookSignature } from "./signature.js";

/** An event as the simulated ERP kept it. */
export interface ReceivedEvent {
  id: string;
  type: WebhookEventType;
  occurredAt: string;
  data: Record<string, unknown>;
  receivedAt: string;
}

export interface ErpReceiver {
  /** Where the gateway's subscription POSTs. */
  url: string;
  /** Each event once, in the order it first arrived. */
  events: ReceivedEvent[];
  /** Deliveries of an event already kept (at least once: allowed, and answered 2xx). */
  duplicates: number;
  /** Requests refused: a bad or stale signature, or a body that is not an event. */
  refused: string[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The ERP's end of the gateway's webhooks, as the gateway README tells an
 * integrator to write it: check the signature over the raw body, refuse a
 * stale one, keep each Idempotency-Key once, answer 2xx once kept. The
 * site answer key counts what it received; the demo appends each event to
 * a JSON-lines file for a person to read.
 */
export async function serveErpReceiver(options: {
  secret: string;
  /** Appends each new event as one JSON line. */
  journal?: string;
}): Promise<ErpReceiver> {
  const seen = new Set<string>();
  const receiver = {
    url: "",
    events: [] as ReceivedEvent[],
    duplicates: 0,
    refused: [] as string[],
  };
  const server = createServer((req, res) => {
    readBody(req)
      .then(async (raw) => {
        const header = req.headers["comptoir-signature"];
        if (
          !verifyWebhookSignature(
            options.secret,
            typeof header === "string" ? header : undefined,
            raw,
          )
        ) {
          receiver.refused.push("bad or stale signature");
          res.writeHead(401).end();
          return;
        }
        const parsed = WebhookEnvelopeSchema.safeParse(JSON.parse(raw));
        const key = req.headers["idempotency-key"];
        if (!parsed.success || parsed.data.id !== key) {
          receiver.refused.push(
            parsed.success ? "Idempotency-Key is not the event's id" : parsed.error.message,
          );
          res.writeHead(400).end();
          return;
        }
        if (seen.has(parsed.data.id)) {
          receiver.duplicates += 1;
        } else {
          const event: ReceivedEvent = {
            ...parsed.data,
            data: parsed.data.data as Record<string, unknown>,
            receivedAt: new Date().toISOString(),
          };
          if (options.journal) await appendFile(options.journal, `${JSON.stringify(event)}\n`);
          seen.add(event.id);
          receiver.events.push(event);
        }
        res.writeHead(204).end();
      })
      .catch((error: unknown) => {
        receiver.refused.push(error instanceof Error ? error.message : String(error));
        if (!res.headersSent) res.writeHead(400).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/comptoir`;
  return Object.assign(receiver, {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
