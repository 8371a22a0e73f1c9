import type { Role } from "../auth/tokens.js";

/**
 * The role matrix, in one place: what each permission allows, and which
 * roles hold it. Every route names one permission (see `auth.ts`), and the
 * OpenAPI document lists the roles of each operation from here.
 *
 * | permission      | admin | accounting | warehouse | counter | viewer |
 * | --------------- | ----- | ---------- | --------- | ------- | ------ |
 * | nodes:read      |   ✓   |     ✓      |     ✓     |         |   ✓    |
 * | nodes:enroll    |   ✓   |            |           |         |        |
 * | stock:read      |   ✓   |     ✓      |     ✓     |    ✓    |   ✓    |
 * | stock:adjust    |   ✓   |            |     ✓     |         |        |
 * | movements:read  |   ✓   |     ✓      |     ✓     |         |   ✓    |
 * | products:read   |   ✓   |     ✓      |     ✓     |    ✓    |   ✓    |
 * | products:write  |   ✓   |     ✓      |           |         |        |
 * | customers:read  |   ✓   |     ✓      |           |    ✓    |   ✓    |
 * | customers:write |   ✓   |     ✓      |           |         |        |
 * | audit:read      |   ✓   |     ✓      |           |         |   ✓    |
 * | receivables:read|   ✓   |     ✓      |           |         |   ✓    |
 * | receivables:write|  ✓   |     ✓      |           |         |        |
 * | credit:read     |   ✓   |     ✓      |           |    ✓    |   ✓    |
 * | credit:check    |   ✓   |     ✓      |           |    ✓    |        |
 * | orders:read     |   ✓   |     ✓      |     ✓     |         |   ✓    |
 * | orders:write    |   ✓   |     ✓      |           |         |        |
 * | orders:release  |   ✓   |     ✓      |           |         |        |
 * | reconciliation:read | ✓ |     ✓      |     ✓     |         |   ✓    |
 * | valuation:read  |   ✓   |     ✓      |           |         |   ✓    |
 * | valuation:write |   ✓   |     ✓      |           |         |        |
 * | analytics:read  |   ✓   |     ✓      |     ✓     |         |   ✓    |
 * | analytics:write |   ✓   |     ✓      |     ✓     |         |        |
 * | schedules:read  |   ✓   |     ✓      |     ✓     |         |   ✓    |
 * | schedules:run   |   ✓   |            |           |         |        |
 * | metrics:read    |   ✓   |            |           |         |   ✓    |
 * | webhooks:read   |   ✓   |     ✓      |           |         |        |
 * | webhooks:replay |   ✓   |            |           |         |        |
 * | live:read       |   ✓   |     ✓      |     ✓     |    ✓    |   ✓    |
 * | api:read        |   ✓   |     ✓      |     ✓     |    ✓    |   ✓    |
 *
 * `orders:write` places, imports and cancels sales orders (the ERP's token
 * is an accounting one); `orders:release` is the credit manager's override
 * of a hold. `valuation:*` is money (stock value, COGS, margins and their
 * floors); `analytics:*` the warehouse's figures (rotation, dwell, FIFO
 * discipline, ABC, reorder rules and list). `live:read` is the WebSocket feed; `api:read` the dashboard's session.
 * `GET /api/v1/health` and `GET /api/v1/openapi.json` (the API's description,
 * which holds no data) need no token at all.
 */
export const PERMISSIONS = {
  "nodes:read": ["admin", "accounting", "warehouse", "viewer"],
  "nodes:enroll": ["admin"],
  "stock:read": ["admin", "accounting", "warehouse", "counter", "viewer"],
  // Posting a count's difference to the book: those who count, not those who invoice.
  "stock:adjust": ["admin", "warehouse"],
  "movements:read": ["admin", "accounting", "warehouse", "viewer"],
  "products:read": ["admin", "accounting", "warehouse", "counter", "viewer"],
  "products:write": ["admin", "accounting"],
  "customers:read": ["admin", "accounting", "counter", "viewer"],
  "customers:write": ["admin", "accounting"],
  "audit:read": ["admin", "accounting", "viewer"],
  "receivables:read": ["admin", "accounting", "viewer"],
  "receivables:write": ["admin", "accounting"],
  "credit:read": ["admin", "accounting", "counter", "viewer"],
  "credit:check": ["admin", "accounting", "counter"],
  // The dock sees which orders may go; only accounting places, cancels and overrides them.
  "orders:read": ["admin", "accounting", "warehouse", "viewer"],
  "orders:write": ["admin", "accounting"],
  "orders:release": ["admin", "accounting"],
  "reconciliation:read": ["admin", "accounting", "warehouse", "viewer"],
  // Stock value, COGS and margins are money; margin floors are set by those who price.
  "valuation:read": ["admin", "accounting", "viewer"],
  "valuation:write": ["admin", "accounting"],
  // Rotation, ABC and reorder are the warehouse manager's as much as the buyer's.
  "analytics:read": ["admin", "accounting", "warehouse", "viewer"],
  "analytics:write": ["admin", "accounting", "warehouse"],
  // The jobs and how their last runs went are no data; running one (letters sent, files written) is the admin's.
  "schedules:read": ["admin", "accounting", "warehouse", "viewer"],
  "schedules:run": ["admin"],
  "metrics:read": ["admin", "viewer"],
  // The ERP link's health is accounting's concern; sending an event again is an admin's act.
  "webhooks:read": ["admin", "accounting"],
  "webhooks:replay": ["admin"],
  "live:read": ["admin", "accounting", "warehouse", "counter", "viewer"],
  "api:read": ["admin", "accounting", "warehouse", "counter", "viewer"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function allows(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
