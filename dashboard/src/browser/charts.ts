/**
 * Small SVG charts: no library, a few dozen elements each, sized by viewBox
 * so that they scale with the card. On a phone the drawing is narrower (in
 * its own units), so that its text, scaled with it, stays legible.
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

/** The drawing's width in its own units: 600, or 360 on a phone's width (its 11-unit text then shows at about 10 px). */
function chartWidth(wide = 600): number {
  return window.matchMedia("(max-width: 40rem)").matches ? 360 : wide;
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
  const width = chartWidth();
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
    // The last bucket's tick ends at the right edge ("now" is not cut off); the others start at their bar.
    const last = i === buckets.length - 1;
    if (bucket.tick)
      svg.append(
        s(
          "text",
          last
            ? { x: width - 1, y: height - 4, "text-anchor": "end" }
            : { x: i * step, y: height - 4 },
          bucket.tick,
        ),
      );
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
export function bars(
  rows: readonly Bar[],
  options: { label: string; labelWidth?: number },
): SVGSVGElement {
  // A few rows in a side card: drawn narrower than the others, so their text is not shrunk below legibility.
  const width = chartWidth(480);
  const row = 26;
  const labelWidth = options.labelWidth ?? 80;
  const valueWidth = 110;
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

export interface Point {
  /** Shown under the first and last points, and in each point's tooltip. */
  label: string;
  value: number;
  /** The value as the tooltip says it. */
  text: string;
}

/** A line over time with the area under it, its largest value on the axis: e.g. stock value per day. */
export function line(
  points: readonly Point[],
  options: { label: string; max: string },
): SVGSVGElement {
  const width = chartWidth();
  const height = 160;
  const bottom = 18;
  const top = 16;
  const max = Math.max(1, ...points.map((p) => p.value));
  const x = (i: number) =>
    points.length < 2 ? width / 2 : (i * (width - 4)) / (points.length - 1) + 2;
  const y = (v: number) => height - bottom - ((height - bottom - top) * Math.max(0, v)) / max;
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "chart",
    role: "img",
    "aria-label": options.label,
  });
  svg.append(
    s("line", { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, class: "axis" }),
  );
  if (points.length > 0) {
    const path = points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
    const base = height - bottom;
    svg.append(
      s("polygon", {
        points: `${x(0).toFixed(1)},${base} ${path} ${x(points.length - 1).toFixed(1)},${base}`,
        class: "area",
      }),
      s("polyline", { points: path, class: "line" }),
    );
    // A dot per point when there are few, each with its figure: a short history reads better.
    points.forEach((p, i) => {
      const dot = s("circle", {
        cx: x(i),
        cy: y(p.value),
        r: points.length > 60 ? 0 : 3,
        class: "dot",
      });
      dot.append(s("title", {}, `${p.label}: ${p.text}`));
      svg.append(dot);
    });
    const first = points[0] as Point;
    const last = points[points.length - 1] as Point;
    svg.append(s("text", { x: 2, y: height - 4 }, first.label));
    if (points.length > 1)
      svg.append(s("text", { x: width - 2, y: height - 4, "text-anchor": "end" }, last.label));
  }
  svg.append(s("text", { x: 2, y: 11 }, `max ${options.max}`));
  return svg;
}

export interface ParetoBar {
  label: string;
  /** Percent of the total. */
  share: number;
  /** Cumulative percent up to and including this one. */
  cumulative: number;
  tone?: string;
  /** The tooltip's text. */
  text: string;
}

/**
 * A Pareto chart: a bar per product (its share of the total, largest first)
 * and the cumulative line on the same 0–100 % scale, with the class
 * thresholds drawn across (e.g. A up to 80 %, B up to 95 %).
 */
export function pareto(
  rows: readonly ParetoBar[],
  options: { label: string; thresholds: readonly { at: number; text: string }[] },
): SVGSVGElement {
  const width = chartWidth();
  const height = 180;
  const bottom = 18;
  const top = 8;
  // A few products make no wall of bars: at most 60 units each.
  const step = Math.min(60, (width - 30) / Math.max(1, rows.length));
  const y = (percent: number) =>
    height - bottom - ((height - bottom - top) * Math.min(100, Math.max(0, percent))) / 100;
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "chart",
    role: "img",
    "aria-label": options.label,
  });
  svg.append(
    s("line", { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, class: "axis" }),
  );
  for (const threshold of options.thresholds) {
    svg.append(
      s("line", { x1: 0, x2: width, y1: y(threshold.at), y2: y(threshold.at), class: "threshold" }),
      s("text", { x: width - 2, y: y(threshold.at) - 3, "text-anchor": "end" }, threshold.text),
    );
  }
  rows.forEach((r, i) => {
    const rect = s("rect", {
      x: i * step + 1,
      y: y(r.share),
      width: Math.max(1, step - 2),
      height: height - bottom - y(r.share),
      class: `bar${r.tone ? ` ${r.tone}` : ""}`,
    });
    rect.append(s("title", {}, r.text));
    svg.append(rect);
  });
  if (rows.length > 0) {
    const path = rows
      .map((r, i) => `${(i * step + step / 2).toFixed(1)},${y(r.cumulative).toFixed(1)}`)
      .join(" ");
    svg.append(s("polyline", { points: `0,${y(0)} ${path}`, class: "line" }));
    const first = rows[0] as ParetoBar;
    svg.append(s("text", { x: 2, y: height - 4 }, first.label));
    if (rows.length > 1) {
      const last = rows[rows.length - 1] as ParetoBar;
      svg.append(
        s("text", { x: rows.length * step, y: height - 4, "text-anchor": "end" }, last.label),
      );
    }
  }
  svg.append(s("text", { x: 2, y: 11 }, "cumulative %"));
  return svg;
}
