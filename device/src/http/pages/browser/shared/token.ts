import { h } from "@comptoir/contracts/browser";

/**
 * This terminal's token, given once by a person and kept in this browser's
 * localStorage; sent as a header, never in a URL. Absent in kiosk mode.
 */
const TOKEN_KEY = "comptoir.terminal-token";

export function storedToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function forgetToken(): void {
  localStorage.removeItem(TOKEN_KEY);
}

/** Asks once for the terminal token (the node answered 401 without one), keeps it, reloads. */
export function askToken(message: string): void {
  if (document.querySelector("#token-dialog")) return;
  const input = h("input", {
    type: "password",
    autocomplete: "off",
    "aria-label": "terminal token",
    id: "token-input",
  });
  const form = h(
    "form",
    { method: "dialog" },
    h("h2", {}, "Terminal token"),
    h("p", {}, message),
    h(
      "p",
      {},
      "Ask the node's administrator for this terminal's token (comptoir node token create).",
    ),
    input,
    h("button", { type: "submit", id: "token-save" }, "Save"),
  );
  const dialog = h("dialog", { id: "token-dialog" }, form);
  form.addEventListener("submit", () => {
    const token = input.value.trim();
    if (token) localStorage.setItem(TOKEN_KEY, token);
    location.reload();
  });
  document.body.append(dialog);
  dialog.showModal();
}
