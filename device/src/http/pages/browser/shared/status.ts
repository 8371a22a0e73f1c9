import { messageOf, say } from "@comptoir/contracts/browser";
import { ApiError } from "./api.js";

export { say } from "@comptoir/contracts/browser";

/** Says what went wrong: every input problem of a 400, else the error's message. */
export function sayError(error: unknown): void {
  const problems = error instanceof ApiError ? error.body?.error.problems : undefined;
  const text = problems
    ? problems.map((p) => (p.path ? `${p.path}: ` : "") + p.message).join("; ")
    : messageOf(error);
  say(text, "error");
}
