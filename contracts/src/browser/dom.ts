/**
 * The DOM helpers of every page we ship (the gateway's dashboard, the node's
 * pages and its POS): `h` builds elements whose data is always text nodes
 * (never markup), `clear` replaces children, `$` finds a page element or says
 * which is missing. Styles go through the CSSOM, as the pages' policy
 * (style-src 'self') refuses style attributes.
 *
 * Browser code: it may import only other browser files (see tsconfig.browser.json).
 */

/** What `h` puts in an element: nodes as they are, anything else as text; nullish and false are skipped. */
export type Child = Node | string | number | boolean | null | undefined | readonly Child[];

/** An event handler for any event type (`onclick`, `oninput`…): its parameter is the event's own type. */
export type Handler = (event: never) => unknown;

/** An attribute's value: `true` gives an empty attribute, nullish and `false` none. */
export type AttributeValue = string | number | boolean | null | undefined;

/** Attributes, with a few properties set directly: `className`, `dataset`, `value`, `style` and `on*` handlers. */
export interface Props {
  className?: string;
  dataset?: Readonly<Record<string, string>>;
  /** Set through the CSSOM (`style.cssText`), never as an attribute. */
  style?: string;
  [key: string]: AttributeValue | Readonly<Record<string, string>> | Handler;
}

function setProp(node: HTMLElement, key: string, value: Props[string]): void {
  if (value === undefined || value === null || value === false) return;
  if (key === "className") node.className = String(value);
  else if (key === "dataset" && typeof value === "object") Object.assign(node.dataset, value);
  else if (key.startsWith("on") && typeof value === "function")
    node.addEventListener(key.slice(2), value as EventListener);
  else if (key === "value" && "value" in node) (node as HTMLInputElement).value = String(value);
  // Through the CSSOM: the policy (style-src 'self') refuses style attributes.
  else if (key === "style") node.style.cssText = String(value);
  else node.setAttribute(key, value === true ? "" : String(value));
}

function append(node: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An element with these props and children; data is always text, never markup. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) setProp(node, key, value);
  append(node, children);
  return node;
}

/** Replaces the node's children with these. */
export function clear<T extends Element>(node: T, ...children: (Node | string)[]): T {
  node.replaceChildren(...children);
  return node;
}

/** The page element the selector finds; throws naming the selector when there is none. */
export function $<T extends Element = HTMLElement>(selector: string): T {
  const node = document.querySelector<T>(selector);
  if (!node) throw new Error(`page element missing: ${selector}`);
  return node;
}
