import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The gateway's HTTP errors: the shared kit's error shape and answers, plus `ApiError`. */
export {
  type ErrorBody,
  ErrorBodySchema,
  errorBody,
  sendError,
} from "@comptoir/contracts/http";

/** Thrown by a handler to answer with an error; nothing was changed. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}
