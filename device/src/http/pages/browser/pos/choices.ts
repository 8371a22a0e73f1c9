import { h } from "@comptoir/contracts/browser";

/** Marks `button` as the one pressed among a dialog's choices. */
export function choose(container: Element, button: Element): void {
  for (const b of container.querySelectorAll("button"))
    b.setAttribute("aria-pressed", b === button ? "true" : "false");
}

/** A choice button (a person, a reason): pressing it marks it and calls `onPick`. */
export function choiceButton(
  container: Element,
  label: string,
  dataset: Record<string, string>,
  onPick: () => void,
): HTMLButtonElement {
  const b = h("button", { type: "button", dataset, "aria-pressed": "false" }, label);
  b.addEventListener("click", () => {
    onPick();
    choose(container, b);
  });
  return b;
}
