import { $ } from "@comptoir/contracts/browser";
import { ApiError } from "./api.js";

type StatusKind = "info" | "ok" | "error";

/** The page's one status line (`#status`). */
export function say(text: string, kind: StatusKind = "info"): void {
  const status = $("#status");
  status.textContent = text;
  status.dataset.kind = kind;
}

/** Says what went wrong: every input problem of a 400, else the error's message. */
export function sayError(error: unknown): void {
  const problems = error instanceof ApiError ? error.body?.error.problems : undefined;
  const text = problems
    ? problems.map((p) => (p.path ? `${p.path}: ` : "") + p.message).join("; ")
    : error instanceof Error
      ? error.message
      : String(error);
  say(text, "error");
}
