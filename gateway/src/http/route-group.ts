import { valid } from "@comptoir/contracts/http";
import { type Handler, Hono } from "hono";
import type { z } from "zod";
import type { TokenStore } from "../auth/tokens.js";
import { requirePermission } from "./auth.js";
import type { GatewayEnv } from "./context.js";
import type { Permission } from "./roles.js";

/**
 * One operation of /api/v1, declared once: what the route checks (permission,
 * then the zod schemas of its path parameters, query and JSON body) and what
 * its OpenAPI document says (summary, responses, errors).
 */
export interface RouteDefinition {
  method: "get" | "post" | "put";
  /** Under /api/v1, in Hono's form: `/nodes/:id`. */
  path: string;
  summary: string;
  /** null: no token needed. */
  permission: Permission | null;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success responses: status → description and schema. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** Error statuses this operation can answer besides 401/403 (listed for every operation with a permission). */
  errors?: number[];
  /** Other paths that answer the same, each documented as such (a name promised to users beside a clearer one). */
  aliases?: string[];
}

/** What `c.req.valid(...)` gives a handler: the output of the definition's own schemas. */
type Validated<D extends RouteDefinition> = (D extends { params: infer S extends z.ZodType }
  ? { param: z.output<S> }
  : object) &
  (D extends { query: infer S extends z.ZodType } ? { query: z.output<S> } : object) &
  (D extends { body: infer S extends z.ZodType } ? { json: z.output<S> } : object);

/** The handler of the operation `D`, typed by its schemas. */
export type RouteHandler<D extends RouteDefinition> = Handler<
  GatewayEnv,
  string,
  { out: Validated<D> }
>;

/**
 * A group of /api/v1 operations, each declared once: the definition both
 * registers the Hono route — token and permission check, then zod validation
 * of path parameters, query and JSON body, then the handler — and is the
 * operation's OpenAPI description (openapi.ts). So no route exists without
 * its document, nor a document without its route.
 */
export class RouteGroup {
  readonly app = new Hono<GatewayEnv>();
  private readonly definitions: RouteDefinition[] = [];

  constructor(private readonly tokens: TokenStore) {}

  /** The operations in the order they were registered: the order of the document. */
  get docs(): readonly RouteDefinition[] {
    return this.definitions;
  }

  route<D extends RouteDefinition>(definition: D, handler: RouteHandler<D>): this {
    const checks: Handler[] = [];
    if (definition.permission) checks.push(requirePermission(this.tokens, definition.permission));
    if (definition.params) checks.push(valid("param", definition.params));
    if (definition.query) checks.push(valid("query", definition.query));
    if (definition.body) checks.push(valid("json", definition.body));
    // The paths-array form of `on` is the one typed for a handler list of any length.
    this.app.on(definition.method.toUpperCase(), [definition.path], ...checks, handler as Handler);
    this.definitions.push(definition);
    for (const alias of definition.aliases ?? []) {
      this.app.on(definition.method.toUpperCase(), [alias], ...checks, handler as Handler);
      const summary = `${definition.summary} (the same as ${definition.path})`;
      this.definitions.push({ ...definition, path: alias, summary, aliases: [] });
    }
    return this;
  }

  /** Adds another group's routes and documents after these, in its own order. */
  include(group: RouteGroup): this {
    this.app.route("/", group.app);
    this.definitions.push(...group.docs);
    return this;
  }
}
