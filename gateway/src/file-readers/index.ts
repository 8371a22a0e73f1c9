/** Readers shared by the invoice and payment file parsers: CSV, XML, decimals, problems. */
export { csvLine, normaliseHeader, readCsv } from "./csv-reader.js";
export { type CsvRow, readCsvTable } from "./csv-table.js";
export { amountToMinor, unitPriceToMinor } from "./decimal.js";
export { type FileFormat, formatOf, formatOfFile } from "./format.js";
export { type ParseResult, type PdfLimitHit, Problems } from "./parse-result.js";
