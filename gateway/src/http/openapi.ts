import { z } from "zod";
import { ErrorBodySchema } from "./errors.js";
import { openApiWebhooks } from "./openapi-webhooks.js";
import { PERMISSIONS } from "./roles.js";
import type { RouteDefinition } from "./route-group.js";

type JsonObject = Record<string, unknown>;

const ERROR_TEXT: Record<number, string> = {
  400: "invalid input: every problem listed",
  401: "no token, or an unknown or revoked one",
  403: "the token's role may not do this",
  404: "no such resource",
  409: "conflicts with what is stored",
  413: "request body too large",
  415: "the body is not JSON",
  422: "a business rule refused it",
};

/**
 * The OpenAPI 3.1 document of `/api/v1`, built from the definitions the
 * route groups registered their routes from (route-group.ts): the same zod
 * schemas the validators use, so the two cannot drift.
 */
export function openApiDocument(docs: readonly RouteDefinition[], version: string): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const doc of docs) {
    const path = `/api/v1${doc.path.replace(/:([A-Za-z]+)/g, "{$1}")}`;
    const operation: JsonObject = {
      operationId: `${doc.method}${doc.path.replace(/[/:]+(\w)/g, (_m, ch: string) => ch.toUpperCase())}`,
      summary: doc.summary,
      parameters: [...parameters(doc.params, "path"), ...parameters(doc.query, "query")],
      responses: responses(doc),
      ...(doc.permission
        ? {
            security: [{ bearer: [] }],
            "x-permission": doc.permission,
            "x-roles": [...PERMISSIONS[doc.permission]],
          }
        : { security: [] }),
    };
    if (doc.body) {
      operation.requestBody = {
        required: true,
        content: { "application/json": { schema: schema(doc.body) } },
      };
    }
    paths[path] ??= {};
    (paths[path] as Record<string, JsonObject>)[doc.method] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Comptoir gateway API",
      version,
      description:
        'Bearer tokens with roles (admin, accounting, warehouse, counter, viewer). Errors: { "error": { "code", "message", "path"? } }. A refused request changes nothing.',
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: { Error: schema(ErrorBodySchema) },
    },
    paths,
    webhooks: openApiWebhooks(),
  };
}

function schema(type: z.ZodType): JsonObject {
  const { $schema: _drop, ...rest } = z.toJSONSchema(type, {
    io: "input",
    unrepresentable: "any",
  }) as JsonObject;
  return rest;
}

function parameters(type: z.ZodType | undefined, where: "path" | "query"): JsonObject[] {
  if (!type) return [];
  const json = schema(type);
  const properties = (json.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    schema: property,
    ...(typeof property.description === "string" ? { description: property.description } : {}),
  }));
}

function responses(doc: RouteDefinition): JsonObject {
  const out: JsonObject = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    out[status] = {
      description: response.description,
      ...(response.schema
        ? {
            content: {
              [response.contentType ?? "application/json"]: { schema: schema(response.schema) },
            },
          }
        : {}),
    };
  }
  const errors = new Set([...(doc.permission ? [401, 403] : []), ...(doc.errors ?? [])]);
  for (const status of [...errors].sort()) {
    out[String(status)] = {
      description: ERROR_TEXT[status] ?? "error",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return out;
}
