import { formatPath, type InputProblem } from "@comptoir/contracts";
import { type CsvRow, readCsvTable } from "../file-readers/csv-table.js";
import { readJsonList } from "../file-readers/json-list.js";
import { Problems } from "../file-readers/parse-result.js";

/** The formats a master-data file comes in. */
export type MasterDataFormat = "csv" | "json";

/** One product or customer of a file, and how to point at its fields in the file. */
export interface FileItem<T> {
  value: T;
  /** Where a field of the item is in the file: `line 4, unit_price` (CSV), `products[3].unitPrice.amount` (JSON). */
  locate(path: readonly PropertyKey[]): string;
  /** Where the item is, for messages that name another one: `line 4`, `products[3]`. */
  place: string;
}

/**
 * A master-data file read: the items that could be read, and every problem
 * of the file (unreadable rows, fields, duplicates inside the file). A file
 * with any problem is refused whole; the items are still checked against
 * the store so that one answer lists everything to fix.
 */
export interface MasterDataFile<T> {
  items: FileItem<T>[];
  problems: InputProblem[];
}

/** How one kind of master data is read from CSV and JSON. */
export interface MasterDataReader<T, Column extends string> {
  /** "customer", "product": for messages. */
  noun: string;
  /** The JSON wrapper's key: `{ "customers": [...] }`. */
  key: string;
  columns: readonly Column[];
  required: readonly Column[];
  /** Where the CSV template is served, for the message on an empty file. */
  template: string;
  /** What to write in a required cell left empty: `credit_limit` → `such as 5000.00, or "unlimited"`. */
  examples: Partial<Record<Column, string>>;
  /** The CSV column of a field of the item (its first path element): `unitPrice` → `unit_price`. */
  columnOf(path: readonly PropertyKey[]): string;
  /**
   * The item of one CSV row for the schema to check. A cell it cannot read
   * is said in `problems` and stands in as a valid value, so that the
   * schema still reports the row's other fields.
   */
  fromRow(row: CsvRow<Column>, at: (column: Column) => string, problems: Problems): unknown;
  /** The item's schema: what JSON items and CSV rows must make. */
  parse(
    input: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: Issue[] } };
}

interface Issue {
  path: PropertyKey[];
  message: string;
}

/**
 * CSV problems in the order of the file's lines (a row's own problems,
 * then its duplicates and conflicts); JSON paths as they were found.
 */
export function inFileOrder(problems: readonly InputProblem[]): InputProblem[] {
  const lineOf = (problem: InputProblem) =>
    Number(/^line (\d+)/.exec(problem.path ?? "")?.[1] ?? Number.POSITIVE_INFINITY);
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => lineOf(a.problem) - lineOf(b.problem) || a.index - b.index)
    .map(({ problem }) => problem);
}

/** Reads a CSV or JSON file of master data; the in-file duplicates and rules are the caller's. */
export function readMasterDataFile<T, Column extends string>(
  text: string,
  format: MasterDataFormat,
  reader: MasterDataReader<T, Column>,
): MasterDataFile<T> {
  return format === "csv" ? readCsvItems(text, reader) : readJsonItems(text, reader);
}

function readCsvItems<T, Column extends string>(
  text: string,
  reader: MasterDataReader<T, Column>,
): MasterDataFile<T> {
  const problems = new Problems();
  const rows = readCsvTable(
    text,
    {
      columns: reader.columns,
      required: reader.required,
      rows: reader.noun,
      emptyHint: `(GET ${reader.template})`,
    },
    problems,
  );
  const items: FileItem<T>[] = [];
  for (const row of rows ?? []) {
    const at = (column: string) => `line ${row.line}, ${column}`;
    // The row's problems, one per cell: the first said of a cell is the clearest.
    const own = new Problems();
    for (const column of reader.required) {
      if (row.get(column) !== "") continue;
      const example = reader.examples[column];
      own.add(
        at(column),
        `empty: give the ${reader.noun}'s ${column.replace(/_/g, " ")}${example ? `, ${example}` : ""}`,
      );
    }
    const parsed = reader.parse(reader.fromRow(row, at, own));
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        own.add(at(reader.columnOf(issue.path)), issue.message);
    }
    const said = new Set<string>();
    for (const problem of own.list) {
      if (said.has(problem.path)) continue;
      said.add(problem.path);
      problems.add(problem.path, problem.message);
    }
    if (!parsed.success || !own.empty) continue;
    items.push({
      value: parsed.data,
      locate: (path) => at(reader.columnOf(path)),
      place: `line ${row.line}`,
    });
  }
  return { items, problems: problems.list };
}

function readJsonItems<T, Column extends string>(
  text: string,
  reader: MasterDataReader<T, Column>,
): MasterDataFile<T> {
  const file = readJsonList(text, { key: reader.key, one: `a ${reader.noun}` });
  if (!file.ok) return { items: [], problems: file.problems };
  const problems = new Problems();
  const items: FileItem<T>[] = [];
  file.items.forEach((item, index) => {
    const base = file.at(index);
    const parsed = reader.parse(item);
    if (!parsed.success) {
      problems.addIssues(base, parsed.error.issues);
      return;
    }
    items.push({
      value: parsed.data,
      locate: (path) => joinPath(base, formatPath(path)),
      place: base || reader.noun,
    });
  });
  return { items, problems: problems.list };
}

/** `customers[3]` and `creditLimit.amount` → `customers[3].creditLimit.amount`. */
function joinPath(base: string, path: string): string {
  if (!base) return path;
  if (!path) return base;
  return `${base}${path.startsWith("[") ? "" : "."}${path}`;
}

/**
 * Reports every item whose key another item of the file already has
 * (`SKU-1 is also on line 3`): one file says each product or customer once.
 */
export function duplicateProblems<T>(
  items: readonly FileItem<T>[],
  keyOf: (value: T) => string,
  field: PropertyKey,
  noun: string,
): InputProblem[] {
  const first = new Map<string, FileItem<T>>();
  const problems: InputProblem[] = [];
  for (const item of items) {
    const key = keyOf(item.value);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, item);
      continue;
    }
    problems.push({
      path: item.locate([field]),
      message: `${noun} ${key} is also at ${earlier.place}: give each ${noun} once in the file`,
    });
  }
  return problems;
}
