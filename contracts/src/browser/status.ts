import { $ } from "./dom.js";

/** How the status line reads: information, success, or a problem. */
export type StatusKind = "info" | "ok" | "error";

/** Writes the page's one status line (`#status`, every page we ship has it). */
export function say(text: string, kind: StatusKind = "info"): void {
  const status = $("#status");
  status.textContent = text;
  status.dataset.kind = kind;
}
