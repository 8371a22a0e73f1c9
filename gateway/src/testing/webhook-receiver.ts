import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One POST as the receiver got it. */
export interface ReceivedWebhook {
  /** 1 for the first request this receiver got. */
  n: number;
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  raw: string;
  body: { id: string; type: string; occurredAt: string; data: unknown };
  /** What the receiver answered (undefined: it never answered, e.g. the caller gave up first). */
  status?: number;
}

/**
 * What the receiver does with the n-th request: answer a status (after
 * `hold` resolves, if given), or never answer (`hang`).
 */
export type ReceiverBehaviour = (
  request: ReceivedWebhook,
) => { status: number; hold?: Promise<unknown> } | "hang";

/**
 * A real HTTP receiver on a loopback ephemeral port, for the webhook tests:
 * it records every request and answers as the test's behaviour says.
 */
export async function startWebhookReceiver(behaviour: ReceiverBehaviour = () => ({ status: 200 })) {
  const received: ReceivedWebhook[] = [];
  const waiters: { predicate: () => boolean; resolve: () => void }[] = [];
  const hanging = new Set<ServerResponse>();
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.predicate()) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  let current = behaviour;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const request: ReceivedWebhook = {
        n: received.length + 1,
        headers: req.headers,
        raw,
        body: JSON.parse(raw) as ReceivedWebhook["body"],
      };
      received.push(request);
      check();
      const answer = current(request);
      if (answer === "hang") {
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      }
      const reply = () => {
        request.status = answer.status;
        res.writeHead(answer.status, { "content-type": "text/plain" });
        res.end(answer.status < 300 ? "ok" : `refused by the test receiver (${answer.status})`);
        check();
      };
      if (answer.hold) answer.hold.then(reply, reply);
      else reply();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Changes what the receiver does from the next request on. */
    behave(next: ReceiverBehaviour) {
      current = next;
    },
    /** The requests it answered with a 2xx. */
    accepted(): ReceivedWebhook[] {
      return received.filter((r) => r.status !== undefined && r.status < 300);
    },
    /** Resolves once `predicate` holds (checked at each request and answer). */
    until(predicate: () => boolean): Promise<void> {
      if (predicate()) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, "close").catch(() => {});
    },
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
