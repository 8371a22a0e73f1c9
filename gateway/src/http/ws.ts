import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type Logger, type StockRow, silentLogger } from "@comptoir/contracts";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import { z } from "zod";
import type { TokenRecord, TokenStore } from "../auth/tokens.js";
import type { LiveEvent, LiveEvents } from "../live/events.js";
import { forbidden } from "./auth.js";
import { errorBody } from "./errors.js";
import { mayReceive, snapshotFor } from "./live-permissions.js";

export const LIVE_PATH = "/ws";

const EventId = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** What a client may send: its token (first, and only then), a resume point, a ping. */
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
  /** Sockets open at once, signed in or not; beyond, the upgrade gets 503. Default 200. */
  maxClients?: number;
  /** How often signed-in sockets are checked against the token store (revoked by another process). Default 5 s. */
  recheckMs?: number;
}

export const DEFAULT_LIVE_MAX_CLIENTS = 200;
export const DEFAULT_LIVE_RECHECK_MS = 5000;

export interface LiveFeed {
  clients(): number;
  close(): Promise<void>;
}

/** Close codes: the token is missing, unknown or of a role without live:read; the client is too slow. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;
export const CLOSE_TOO_SLOW = 4408;

/**
 * The live feed on `/ws` of the gateway's HTTP server. A client
 * authenticates with a first `{ "type": "auth", "token" }` message (never in
 * the URL, which proxies and histories keep); until then it gets no answer
 * at all, and anything else closes the socket. Then it gets a snapshot
 * (stock, nodes, and the id it covers), then each event as
 * `{ id, type, at, data }`. With `since` (query or auth message) it gets
 * the events it missed instead, or a fresh snapshot when they are no longer
 * kept. A client receives only what its token could read through REST
 * (`live-permissions.ts`), and is closed when its token is revoked. After
 * sign-in, a bad inbound message gets an error message.
 */
export function attachLiveFeed(server: Server, options: LiveFeedOptions): LiveFeed {
  const log = (options.logger ?? silentLogger).child({ module: "http:ws" });
  const authTimeoutMs = options.authTimeoutMs ?? 5000;
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const maxClients = options.maxClients ?? DEFAULT_LIVE_MAX_CLIENTS;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 16 * 1024 });
  /** Signed-in sockets and their token, checked again on revocation. */
  const signedIn = new Map<WebSocket, TokenRecord>();

  const closeRevoked = (only?: string) => {
    for (const [ws, token] of signedIn) {
      if (only !== undefined && token.id !== only) continue;
      const now = options.tokens.get(token.id);
      if (now && !now.revokedAt && now.role === token.role) continue;
      signedIn.delete(ws);
      ws.close(CLOSE_UNAUTHORIZED, "token revoked");
    }
  };
  const stopRevokes = options.tokens.onRevoke((id) => closeRevoked(id));
  const recheck = setInterval(() => closeRevoked(), options.recheckMs ?? DEFAULT_LIVE_RECHECK_MS);
  recheck.unref();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? "/", "http://gateway");
    if (url.pathname !== LIVE_PATH) {
      refuseUpgrade(socket, 404, "no WebSocket here: the live feed is at /ws");
      return;
    }
    if (url.searchParams.has("token")) {
      refuseUpgrade(
        socket,
        400,
        'the token does not go in the URL (proxies and browser histories keep URLs): send { "type": "auth", "token": "…" } as the first message',
      );
      return;
    }
    if (wss.clients.size >= maxClients) {
      refuseUpgrade(socket, 503, `the live feed has its ${maxClients} clients: try again later`);
      return;
    }
    const since = url.searchParams.get("since");
    const parsedSince = since === null ? undefined : EventId.safeParse(since);
    if (parsedSince && !parsedSince.success) {
      refuseUpgrade(socket, 400, "since must be the id of the last event received");
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      accept(ws, parsedSince?.data);
    });
  };
  server.on("upgrade", onUpgrade);

  const accept = (ws: WebSocket, since?: number) => {
    let unsubscribe: (() => void) | undefined;
    let token: TokenRecord | undefined;
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

    const start = (from: number | undefined) => {
      const role = (token as TokenRecord).role;
      log.debug({ tokenId: token?.id, since: from }, "live client");
      // Only what this token could read through REST; and nothing once it is revoked.
      const forward = (event: LiveEvent) => {
        if (signedIn.has(ws) && mayReceive(role, event)) send(event);
      };
      // Subscribe first, then take the snapshot or backlog: nothing falls between.
      const pending: LiveEvent[] = [];
      let live = false;
      let upTo = 0;
      unsubscribe = options.events.subscribe((event) => {
        if (!live) pending.push(event);
        else if (event.id > upTo) forward(event);
      });
      const missed = from === undefined ? undefined : options.events.since(from);
      if (missed) {
        send({ type: "resume", since: from });
        for (const event of missed) forward(event);
        upTo = missed.at(-1)?.id ?? from ?? 0;
      } else {
        upTo = options.events.lastId();
        send({ type: "snapshot", lastId: upTo, ...snapshotFor(role, options.snapshot()) });
      }
      live = true;
      for (const event of pending) if (event.id > upTo) forward(event);
    };

    // Before sign-in the client gets no answer: only close codes (4401, 4403).
    const timer = setTimeout(() => ws.close(CLOSE_UNAUTHORIZED, "no token"), authTimeoutMs);

    ws.on("message", (raw: RawData, isBinary: boolean) => {
      if (!token) {
        signIn(raw, isBinary);
        return;
      }
      const read = readInbound(raw, isBinary);
      if (!read.ok) {
        sendError("invalid_message", read.problem, read.path);
        return;
      }
      if (read.message.type === "ping") send({ type: "pong" });
      else sendError("already_authenticated", "this connection is already authenticated");
    });

    const signIn = (raw: RawData, isBinary: boolean) => {
      const read = readInbound(raw, isBinary);
      // Anything but the sign-in message closes the socket unanswered.
      const parsed = read.ok && read.message.type === "auth" ? read.message : undefined;
      if (!parsed) {
        ws.close(CLOSE_UNAUTHORIZED, 'send { "type": "auth", "token" } first');
        return;
      }
      const found = options.tokens.authenticate(parsed.token);
      if (!found) {
        ws.close(CLOSE_UNAUTHORIZED, "this API token is unknown or revoked");
        return;
      }
      const refusal = forbidden(found, "live:read");
      if (refusal) {
        ws.close(CLOSE_FORBIDDEN, refusal.slice(0, 120));
        return;
      }
      clearTimeout(timer);
      token = found;
      signedIn.set(ws, found);
      start(parsed.since ?? since);
    };

    ws.on("close", () => {
      clearTimeout(timer);
      signedIn.delete(ws);
      unsubscribe?.();
    });
    ws.on("error", (error) => log.debug({ err: error }, "live client error"));
  };

  return {
    clients: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.off("upgrade", onUpgrade);
        clearInterval(recheck);
        stopRevokes();
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** One message from a client, or what is wrong with it (the text an error message says). */
function readInbound(
  raw: RawData,
  isBinary: boolean,
): { ok: true; message: LiveInbound } | { ok: false; problem: string; path?: string } {
  if (isBinary) return { ok: false, problem: "send JSON text messages" };
  let value: unknown;
  try {
    value = JSON.parse(rawText(raw));
  } catch {
    return { ok: false, problem: "a message must be JSON" };
  }
  const parsed = LiveInboundSchema.safeParse(value);
  if (parsed.success) return { ok: true, message: parsed.data };
  const path = parsed.error.issues[0]?.path.join(".") ?? "";
  return {
    ok: false,
    problem: `invalid message: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(message)"}: ${i.message}`).join("; ")}`,
    ...(path ? { path } : {}),
  };
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString("utf8");
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString("utf8");
  return raw.toString("utf8");
}

/** Each refusal's status line and error code. */
const REFUSALS = {
  400: { reason: "Bad Request", code: "invalid_input" },
  404: { reason: "Not Found", code: "not_found" },
  // The feed is full: not the client's input (it comes back after Retry-After).
  503: { reason: "Service Unavailable", code: "busy" },
} as const;

function refuseUpgrade(socket: Duplex, status: keyof typeof REFUSALS, message: string): void {
  const { reason, code } = REFUSALS[status];
  // Busy: come back in a few seconds (the dashboard backs off anyway).
  const retry = status === 503 ? "Retry-After: 5\r\n" : "";
  const body = JSON.stringify(errorBody(code, message));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${retry}Connection: close\r\n\r\n${body}`,
  );
}
