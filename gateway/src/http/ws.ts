import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type Logger, type StockRow, silentLogger } from "@comptoir/contracts";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import { z } from "zod";
import type { TokenRecord, TokenStore } from "../auth/tokens.js";
import { forbidden } from "./auth.js";
import { errorBody } from "./errors.js";
import type { LiveEvent, LiveEvents } from "./events.js";

export const LIVE_PATH = "/ws";

const EventId = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** What a client may send: its token (when not in the URL), a resume point, a ping. */
export const LiveInboundSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("auth"),
    token: z.string().min(1).max(200),
    since: EventId.optional(),
  }),
  z.strictObject({ type: z.literal("ping") }),
]);
export type LiveInbound = z.infer<typeof LiveInboundSchema>;

export interface LiveSnapshot {
  stock: StockRow[];
  nodes: unknown[];
}

export interface LiveFeedOptions {
  tokens: TokenStore;
  events: LiveEvents;
  snapshot: () => LiveSnapshot;
  logger?: Logger;
  /** A client that sends no token within this time is closed. Default 5 s. */
  authTimeoutMs?: number;
  /** A client this far behind (bytes queued) is closed; it reconnects with its last id. Default 4 MiB. */
  maxBufferedBytes?: number;
  /** Largest message accepted from a client. Default 16 KiB. */
  maxPayload?: number;
}

export interface LiveFeed {
  clients(): number;
  close(): Promise<void>;
}

/** Close codes: the token is missing, unknown or of a role without live:read; the client is too slow. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;
export const CLOSE_TOO_SLOW = 4408;

/**
 * The live feed on `/ws` of the gateway's HTTP server. A client authenticates
 * with `?token=` or a first `{ "type": "auth", "token" }` message; it gets a
 * snapshot (stock, nodes, and the id it covers), then each event as
 * `{ id, type, at, data }`. With `since` (query or auth message) it gets
 * the events it missed instead, or a fresh snapshot when they are no longer
 * kept. Every inbound message is validated; a bad one gets an error message.
 */
export function attachLiveFeed(server: Server, options: LiveFeedOptions): LiveFeed {
  const log = (options.logger ?? silentLogger).child({ module: "http:ws" });
  const authTimeoutMs = options.authTimeoutMs ?? 5000;
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 16 * 1024 });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? "/", "http://gateway");
    if (url.pathname !== LIVE_PATH) {
      refuseUpgrade(socket, 404, "no WebSocket here: the live feed is at /ws");
      return;
    }
    const tokenText = url.searchParams.get("token");
    let token: TokenRecord | undefined;
    if (tokenText !== null) {
      token = options.tokens.authenticate(tokenText);
      if (!token) {
        refuseUpgrade(socket, 401, "this API token is unknown or revoked");
        return;
      }
      const refusal = forbidden(token, "live:read");
      if (refusal) {
        refuseUpgrade(socket, 403, refusal);
        return;
      }
    }
    const since = url.searchParams.get("since");
    const parsedSince = since === null ? undefined : EventId.safeParse(since);
    if (parsedSince && !parsedSince.success) {
      refuseUpgrade(socket, 400, "since must be the id of the last event received");
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      accept(ws, token, parsedSince?.data);
    });
  };
  server.on("upgrade", onUpgrade);

  const accept = (ws: WebSocket, preAuthorized: TokenRecord | undefined, since?: number) => {
    let unsubscribe: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const send = (message: unknown) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (ws.bufferedAmount > maxBuffered) {
        ws.close(CLOSE_TOO_SLOW, "too far behind: reconnect with your last event id");
        return;
      }
      ws.send(JSON.stringify(message));
    };
    const sendError = (code: string, message: string, path?: string) =>
      send({ type: "error", ...errorBody(code, message, path) });

    const start = (token: TokenRecord, from: number | undefined) => {
      log.debug({ token: token.id, since: from }, "live client");
      // Subscribe first, then take the snapshot or backlog: nothing falls between.
      const pending: LiveEvent[] = [];
      let live = false;
      let upTo = 0;
      unsubscribe = options.events.subscribe((event) => {
        if (!live) pending.push(event);
        else if (event.id > upTo) send(event);
      });
      const missed = from === undefined ? undefined : options.events.since(from);
      if (missed) {
        send({ type: "resume", since: from });
        for (const event of missed) send(event);
        upTo = missed.at(-1)?.id ?? from ?? 0;
      } else {
        upTo = options.events.lastId();
        const snapshot = options.snapshot();
        send({ type: "snapshot", lastId: upTo, ...snapshot });
      }
      live = true;
      for (const event of pending) if (event.id > upTo) send(event);
    };

    if (preAuthorized) start(preAuthorized, since);
    else {
      timer = setTimeout(() => {
        sendError(
          "unauthorized",
          `no token within ${authTimeoutMs} ms: send { "type": "auth", "token": "…" } first`,
        );
        ws.close(CLOSE_UNAUTHORIZED, "no token");
      }, authTimeoutMs);
    }
    let authorized = preAuthorized !== undefined;

    ws.on("message", (raw: RawData, isBinary: boolean) => {
      if (isBinary) {
        sendError("invalid_message", "send JSON text messages");
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(rawText(raw));
      } catch {
        sendError("invalid_message", "a message must be JSON");
        return;
      }
      const parsed = LiveInboundSchema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = issue?.path.join(".") ?? "";
        sendError(
          "invalid_message",
          `invalid message: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(message)"}: ${i.message}`).join("; ")}`,
          path || undefined,
        );
        return;
      }
      const message = parsed.data;
      if (message.type === "ping") {
        send({ type: "pong" });
        return;
      }
      if (authorized) {
        sendError("already_authenticated", "this connection is already authenticated");
        return;
      }
      const token = options.tokens.authenticate(message.token);
      if (!token) {
        sendError("unauthorized", "this API token is unknown or revoked");
        ws.close(CLOSE_UNAUTHORIZED, "unauthorized");
        return;
      }
      const refusal = forbidden(token, "live:read");
      if (refusal) {
        sendError("forbidden", refusal);
        ws.close(CLOSE_FORBIDDEN, "forbidden");
        return;
      }
      authorized = true;
      clearTimeout(timer);
      start(token, message.since ?? since);
    });
    ws.on("close", () => {
      clearTimeout(timer);
      unsubscribe?.();
    });
    ws.on("error", (error) => log.debug({ err: error }, "live client error"));
  };

  return {
    clients: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.off("upgrade", onUpgrade);
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString("utf8");
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString("utf8");
  return raw.toString("utf8");
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const reason = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found" }[
    status
  ];
  const body = JSON.stringify(errorBody(codeOf(status), message));
  socket.end(
    `HTTP/1.1 ${status} ${reason ?? "Error"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function codeOf(status: number): string {
  return status === 401
    ? "unauthorized"
    : status === 403
      ? "forbidden"
      : status === 404
        ? "not_found"
        : "invalid_input";
}
