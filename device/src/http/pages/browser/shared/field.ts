import type { NodeRead, TagInfo } from "@comptoir/contracts";
import { $, clear, h } from "@comptoir/contracts/browser";
import { api } from "./api.js";
import { time } from "./format.js";
import { nameOf, productParts } from "./products.js";

/**
 * "Tags in the field" (`#field`): one row per tag the readers see, with its
 * product, zone, when it was last seen and how many reads, newest first. A
 * tag not read for AGE_OUT_MS leaves the table. The raw reads stay in the
 * diagnostics list beside it.
 */
const AGE_OUT_MS = 60_000;

interface FieldTag {
  epc: string;
  gtin: string | undefined;
  zone: string | undefined;
  hostTime: string;
  /** `hostTime` in ms, by the node's clock. */
  seen: number;
  count: number;
  row: HTMLTableRowElement;
}

const tags = new Map<string, FieldTag>();
/** What the node told of a tag whose product the read does not name by a GTIN the catalog knows: asked once. */
const known = new Map<string, { sku: string | null; gtin: string | undefined }>();
// The node's clock may differ from this browser's: a tag's age is measured from the latest read's
// time, plus what this browser counted since it arrived.
let latest = { node: 0, here: 0 };

function nodeNow(): number {
  return latest.node + (Date.now() - latest.here);
}

function cells(tag: FieldTag): HTMLTableCellElement[] {
  const told = known.get(tag.epc);
  return [
    h(
      "td",
      { className: "product" },
      ...productParts(told?.sku, tag.gtin ?? told?.gtin, "not commissioned"),
      h("code", { className: "epc" }, tag.epc),
    ),
    h("td", { className: "zone" }, tag.zone ?? "?"),
    h("td", { className: "when" }, time(tag.hostTime)),
    h("td", { className: "count" }, String(tag.count)),
  ];
}

function render(tag: FieldTag): void {
  clear(tag.row, ...cells(tag));
}

function showCount(): void {
  $("#field-count").textContent = tags.size === 1 ? "1 tag" : `${tags.size} tags`;
  const body = $("#field");
  if (tags.size === 0 && !body.querySelector("tr.empty"))
    body.append(h("tr", { className: "empty" }, h("td", { colspan: "4" }, "no tag in the field")));
  if (tags.size > 0) body.querySelector("tr.empty")?.remove();
}

/** Asks the node once what a tag is (its SKU, its GTIN) when the catalog cannot name it by the read's GTIN. */
function learn(tag: FieldTag): void {
  if (known.has(tag.epc) || nameOf(undefined, tag.gtin)) return;
  known.set(tag.epc, { sku: null, gtin: undefined });
  api<TagInfo>("GET", `/tags/${encodeURIComponent(tag.epc)}`)
    .then((info) => {
      const gtin = info.place?.gtin ?? info.identity?.gtin;
      known.set(tag.epc, { sku: info.place?.sku ?? null, gtin });
      const shown = tags.get(tag.epc);
      if (shown) render(shown);
    })
    .catch(() => known.delete(tag.epc));
}

/** Counts one read of a tag: a new row, or the tag's row updated and moved to the top. */
export function fieldRead(read: NodeRead): void {
  const seen = Date.parse(read.hostTime);
  if (Number.isFinite(seen) && seen >= latest.node) latest = { node: seen, here: Date.now() };
  let tag = tags.get(read.epc);
  if (!tag) {
    tag = {
      epc: read.epc,
      gtin: read.identity?.gtin,
      zone: read.zone,
      hostTime: read.hostTime,
      seen,
      count: 0,
      row: h("tr", { dataset: { epc: read.epc } }),
    };
    tags.set(read.epc, tag);
    learn(tag);
  }
  tag.count++;
  if (!(seen < tag.seen)) {
    tag.hostTime = read.hostTime;
    tag.seen = seen;
    tag.zone = read.zone ?? tag.zone;
  }
  render(tag);
  $("#field").prepend(tag.row);
  showCount();
}

/** Shows the tags of the node's recent reads (oldest given last, as the node answers them). */
export function fieldFrom(reads: readonly NodeRead[]): void {
  for (const tag of tags.values()) tag.row.remove();
  tags.clear();
  latest = { node: 0, here: 0 };
  for (const read of [...reads].reverse()) fieldRead(read);
  ageOut();
  showCount();
}

/** Drops the tags not read for AGE_OUT_MS. */
function ageOut(): void {
  const limit = nodeNow() - AGE_OUT_MS;
  for (const [epc, tag] of tags)
    if (!(tag.seen >= limit)) {
      tag.row.remove();
      tags.delete(epc);
    }
  showCount();
}

/** Ages the table out every few seconds. */
export function startField(): void {
  setInterval(ageOut, 5000);
}
