import { normaliseHeader, readCsv } from "./csv-reader.js";
import type { Problems } from "./parse-result.js";

/** One data row of a CSV file, its fields read by column name. */
export interface CsvRow<Column extends string> {
  line: number;
  /** The field under `column`, trimmed; "" when the file has no such column. */
  get(column: Column): string;
}

export interface CsvTableSpec<Column extends string> {
  columns: readonly Column[];
  required: readonly Column[];
  /** What a row holds, for messages: "invoice", "payment". */
  rows: string;
  /** Added to the message for an empty file (where to find a template). */
  emptyHint?: string;
}

/**
 * The rows of a CSV file whose header names its columns (in any order and
 * case, among `columns`). Problems of the file or its header (unreadable,
 * empty, an unknown, repeated or missing column, no rows) go to `problems`
 * and give undefined; a row whose field count differs from the header's is
 * reported there and left out.
 */
export function readCsvTable<Column extends string>(
  text: string,
  spec: CsvTableSpec<Column>,
  problems: Problems,
): CsvRow<Column>[] | undefined {
  const read = readCsv(text);
  if (!read.ok) {
    problems.add(`line ${read.line}`, read.message);
    return undefined;
  }
  const [header, ...records] = read.records;
  if (!header) {
    problems.add(
      "line 1",
      `the file is empty: expected a header line${spec.emptyHint ? ` ${spec.emptyHint}` : ""}`,
    );
    return undefined;
  }
  const known = new Set<string>(spec.columns);
  const index = new Map<string, number>();
  header.fields.forEach((name, position) => {
    const column = normaliseHeader(name);
    if (!known.has(column))
      problems.add(
        `line ${header.line}`,
        `unknown column "${name}": the columns are ${spec.columns.join(", ")}`,
      );
    else if (index.has(column))
      problems.add(`line ${header.line}`, `column "${name}" appears twice`);
    else index.set(column, position);
  });
  for (const column of spec.required) {
    if (!index.has(column)) problems.add(`line ${header.line}`, `missing column "${column}"`);
  }
  if (!problems.empty) return undefined;
  if (records.length === 0) {
    problems.add("line 2", `no ${spec.rows} rows after the header`);
    return undefined;
  }
  const rows: CsvRow<Column>[] = [];
  for (const record of records) {
    if (record.fields.length !== header.fields.length) {
      problems.add(
        `line ${record.line}`,
        `has ${record.fields.length} fields, the header has ${header.fields.length}`,
      );
      continue;
    }
    rows.push({
      line: record.line,
      get: (column) => record.fields[index.get(column) ?? -1]?.trim() ?? "",
    });
  }
  return rows;
}
