import { describe, expect, it } from "vitest";
import { csvLine, readCsv } from "./csv-reader.js";

/** What a spreadsheet would see in each cell of one written line. */
function cells(values: (string | number | null)[]): string[] {
  const read = readCsv(csvLine(values));
  if (!read.ok) throw new Error(read.message);
  return read.records[0]?.fields ?? [];
}

describe("CSV exports: formula injection (issue 13, item 12)", () => {
  it("writes a cell that begins with = + - @ tab or CR as text, with a leading quote", () => {
    expect(
      cells(["@SUM(1+1)*cmd|x", '=HYPERLINK("http://x")', "+cmd", "-2+3", "\tx", "\rx"]),
    ).toEqual(["'@SUM(1+1)*cmd|x", '\'=HYPERLINK("http://x")', "'+cmd", "'-2+3", "'\tx", "'\rx"]);
  });

  it("leaves negative amounts and ordinary text as they are", () => {
    expect(cells(["-12.50", -1250, "-3", "SKU-1", "a=b", "", null])).toEqual([
      "-12.50",
      "-1250",
      "-3",
      "SKU-1",
      "a=b",
      "",
      "",
    ]);
  });
});
