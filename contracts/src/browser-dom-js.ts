/**
 * The DOM helpers of every page we ship (the gateway's dashboard, the node's
 * pages and its POS), as ES module source to embed in a served module:
 * `h` builds elements whose data is always text nodes (never markup),
 * `clear` replaces children, `$` finds a page element or says which is
 * missing. Styles go through the CSSOM, as the pages' policy (style-src
 * 'self') refuses style attributes.
 */
export const DOM_JS = String.raw`
export function h(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "value") node.value = value;
    // Through the CSSOM: the policy (style-src 'self') refuses style attributes.
    else if (key === "style") node.style.cssText = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node, ...children) {
  node.replaceChildren(...children);
  return node;
}

export function $(selector) {
  const node = document.querySelector(selector);
  if (!node) throw new Error("page element missing: " + selector);
  return node;
}
`;
