/**
 * Small SVG charts: no library, a few dozen elements each, sized by viewBox
 * so that they scale with the card.
 */
const NS = "http://www.w3.org/2000/svg";
function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string | number>>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export interface Column {
  label: string;
  value: number;
  /** A label under the bar, for a few of them. */
  tick?: string | undefined;
  tone?: string;
}

/** Vertical bars, one per bucket, with the largest value on the axis: e.g. movements per minute. */
export function columns(
  buckets: readonly Column[],
  options: { label: string; unit?: string },
): SVGSVGElement {
  const width = 600;
  const height = 150;
  const bottom = 18;
  const top = 14;
  const max = Math.max(1, ...buckets.map((b) => b.value));
  const step = width / Math.max(1, buckets.length);
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "chart",
    role: "img",
    "aria-label": options.label,
  });
  svg.append(
    s("line", { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, class: "axis" }),
  );
  buckets.forEach((bucket, i) => {
    const h = ((height - bottom - top) * bucket.value) / max;
    const rect = s("rect", {
      x: i * step + 1,
      y: height - bottom - h,
      width: Math.max(1, step - 2),
      height: h,
      class: `bar${bucket.tone ? ` ${bucket.tone}` : ""}`,
    });
    rect.append(s("title", {}, `${bucket.label}: ${bucket.value}`));
    svg.append(rect);
    if (bucket.tick) svg.append(s("text", { x: i * step, y: height - 4 }, bucket.tick));
  });
  svg.append(s("text", { x: 2, y: 11 }, `max ${max}${options.unit ? ` ${options.unit}` : ""}`));
  return svg;
}

interface Bar {
  label: string;
  value: number;
  /** The value as shown beside the bar. */
  text: string;
  tone?: string;
}

/** Horizontal bars with a label and a formatted value each: e.g. the aged balance by bucket. */
export function bars(rows: readonly Bar[], options: { label: string }): SVGSVGElement {
  const width = 600;
  const row = 26;
  const labelWidth = 110;
  const valueWidth = 120;
  const height = Math.max(row, rows.length * row);
  const max = Math.max(1, ...rows.map((r) => Math.abs(r.value)));
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "chart",
    role: "img",
    "aria-label": options.label,
  });
  rows.forEach((r, i) => {
    const y = i * row;
    const w = ((width - labelWidth - valueWidth) * Math.abs(r.value)) / max;
    svg.append(s("text", { x: 0, y: y + 17 }, r.label));
    const rect = s("rect", {
      x: labelWidth,
      y: y + 5,
      width: Math.max(r.value === 0 ? 0 : 2, w),
      height: row - 10,
      class: `bar${r.tone ? ` ${r.tone}` : ""}`,
    });
    rect.append(s("title", {}, `${r.label}: ${r.text}`));
    svg.append(rect);
    svg.append(s("text", { x: labelWidth + w + 6, y: y + 17 }, r.text));
  });
  return svg;
}
