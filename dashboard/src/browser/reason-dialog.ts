/**
 * A modal dialog that asks why before an action on an order (a credit
 * manager's override, a cancellation): what the action is about, a reason
 * (mandatory when `minLength` is set), and the action's button. The action
 * runs from the dialog; its error stays in the dialog, next to the reason,
 * so the user can correct and try again; it closes only when the action
 * succeeded or the user gives up.
 */
import { type Child, h, messageOf } from "./core.js";

export interface ReasonDialog {
  title: string;
  /** What the action is about: the order, its customer, the amount. */
  about: Child[];
  /** The action's button, e.g. "Release". */
  confirm: string;
  /** The reason's shortest length; 0 makes it optional. */
  minLength: number;
  act(reason: string): Promise<void>;
}

/** Opens the dialog; resolves true once the action succeeded, false when the user cancelled. */
export function askReason(spec: ReasonDialog): Promise<boolean> {
  return new Promise((resolve) => {
    const reason = h("textarea", {
      name: "reason",
      rows: 3,
      maxlength: 300,
      required: spec.minLength > 0,
      minlength: spec.minLength > 0 ? spec.minLength : undefined,
      "aria-label": "reason",
      placeholder: spec.minLength > 0 ? "why (required)" : "why (optional)",
    });
    const error = h("p", { className: "error", role: "alert" });
    const submit = h("button", { type: "submit" }, spec.confirm);
    const cancel = h("button", { type: "button", className: "quiet" }, "Cancel");
    const form = h(
      "form",
      // Checked here, so the dialog says in its own words what is missing.
      { method: "dialog", novalidate: true },
      h("h2", {}, spec.title),
      h("div", { className: "about" }, spec.about),
      h("label", {}, "Reason", reason),
      error,
      h("div", { className: "toolbar" }, submit, cancel),
    );
    const dialog = h("dialog", { className: "reason" }, form);
    let done = false;
    const close = (succeeded: boolean) => {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      resolve(succeeded);
    };
    cancel.addEventListener("click", () => close(false));
    dialog.addEventListener("cancel", () => close(false));
    reason.addEventListener("input", () => {
      error.textContent = "";
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = reason.value.trim();
      if (text.length < spec.minLength) {
        error.textContent = `say why (at least ${spec.minLength} characters)`;
        reason.focus();
        return;
      }
      submit.disabled = true;
      try {
        await spec.act(text);
        close(true);
      } catch (failure) {
        error.textContent = messageOf(failure);
      } finally {
        submit.disabled = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    reason.focus();
  });
}
