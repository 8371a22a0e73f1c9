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

/** Quotes a field for writing when it needs it. */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
