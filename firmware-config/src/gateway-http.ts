import { z } from "zod";

/**
 * What one HTTP client may hold of the gateway (issue 13, item 11): a
 * client that sends its headers or its request too slowly is cut (408), an
 * idle keep-alive connection is closed, and connections beyond the cap are
 * dropped. Imports are the largest requests: keep `requestTimeoutMs` above
 * the time a large file takes to upload on the site's network.
 */
export const GatewayHttpLimitsSchema = z
  .strictObject({
    headersTimeoutMs: z.number().int().min(100).max(300_000).default(10_000),
    requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(120_000),
    keepAliveTimeoutMs: z.number().int().min(0).max(600_000).default(5_000),
    /** Connections at once, WebSocket clients included. */
    maxConnections: z.number().int().min(1).max(100_000).default(512),
  })
  .refine((limits) => limits.headersTimeoutMs <= limits.requestTimeoutMs, {
    message:
      "headersTimeoutMs must not exceed requestTimeoutMs (the headers are part of the request)",
    path: ["headersTimeoutMs"],
  });

/** The live feed on /ws. */
export const LiveFeedConfigSchema = z.strictObject({
  /** WebSocket clients at once, signed in or not; beyond, 503 with Retry-After. */
  maxClients: z.number().int().min(1).max(10_000).default(200),
  /**
   * How often open sockets are checked against the token store: a token
   * revoked by `comptoir token revoke` (another process) closes its sockets
   * within this time; one revoked through this gateway, at once.
   */
  recheckMs: z.number().int().min(100).max(600_000).default(5_000),
});

/** Ingest of the nodes' ledger batches. */
export const IngestConfigSchema = z.strictObject({
  /**
   * Batches of one node waiting at most; beyond, a batch is dropped with a
   * warning and the node sends it again from its acked seq.
   */
  maxQueuedBatches: z.number().int().min(1).max(10_000).default(32),
  /**
   * A node whose clock differs from the gateway's by more than this (measured
   * on its live statuses) is flagged on the nodes page and the live feed, and
   * its movements received meanwhile are aged by receive time (gateway README, "Clocks").
   */
  clockSkewSeconds: z.number().int().min(1).max(86_400).default(120),
});
