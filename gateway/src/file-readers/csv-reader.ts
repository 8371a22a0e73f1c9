/**
 * A small RFC 4180 reader: fields separated by commas (or semicolons, as
 * French spreadsheet exports write them), double quotes around fields that
 * hold separators, quotes ("") or line breaks, CRLF or LF. Each record
 * keeps the line number it starts on, so problems point at the file.
 */

export interface CsvRecord {
  line: number;
  fields: string[];
}

export type CsvReadResult =
  | { ok: true; records: CsvRecord[] }
  | { ok: false; line: number; message: string };

/** The separator of the header line: `;` when it has more semicolons than commas. */
export function detectSeparator(text: string): "," | ";" {
  const first = text.slice(0, text.search(/\r?\n|$/));
  const count = (char: string) => first.split(char).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

export function readCsv(input: string): CsvReadResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const separator = detectSeparator(text);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (char === "\n") line++;
        field += char;
      }
      continue;
    }
    if (char === '"') {
      if (field !== "" || wasQuoted) {
        return {
          ok: false,
          line,
          message: 'a quote (") inside an unquoted field: quote the whole field',
        };
      }
      quoted = true;
      wasQuoted = true;
    } else if (char === separator) {
      fields.push(field);
      field = "";
      wasQuoted = false;
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== "") records.push({ line: recordLine, fields });
      fields = [];
      field = "";
      wasQuoted = false;
      line++;
      recordLine = line;
    } else {
      if (wasQuoted) {
        return { ok: false, line, message: "text after a closing quote: quote the whole field" };
      }
      field += char;
    }
  }
  if (quoted) return { ok: false, line: recordLine, message: "a quoted field is never closed" };
  fields.push(field);
  if (fields.length > 1 || fields[0] !== "") records.push({ line: recordLine, fields });
  return { ok: true, records };
}

/** Header names are matched without case, spaces or dashes: "Due Date" = "due_date". */
export function normaliseHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

/**
 * A cell a spreadsheet would run as a formula: one that begins with `=`,
 * `+`, `-`, `@`, a tab or a carriage return (OWASP "CSV injection"). A SKU
 * or a label comes from supplier files, so it can be `@SUM(1+1)*cmd|x`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal ("-12.50", "3"): data, not a formula, so it is written as is. */
const PLAIN_NUMBER = /^-?\d+(?:[.,]\d+)?$/;

/**
 * Quotes a field for writing when it needs it, and neutralises a formula
 * with a leading single quote, which spreadsheets show as text. Numbers
 * (and strings that are plain decimals, as amounts are written) are left
 * alone, so a negative amount stays a number in the spreadsheet.
 */
export function csvField(value: string | number | null | undefined): string {
  const raw = value === null || value === undefined ? "" : String(value);
  const text =
    typeof value === "string" && FORMULA_START.test(raw) && !PLAIN_NUMBER.test(raw)
      ? `'${raw}`
      : raw;
  return /[",;\r\n\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
