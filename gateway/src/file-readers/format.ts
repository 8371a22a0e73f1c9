/** The file formats the gateway reads (invoices: all four; payments: CSV and JSON). */
export type FileFormat = "json" | "csv" | "xml" | "pdf";

/** The format of a request body from its Content-Type; undefined when not one we read. */
export function formatOf(contentType: string | undefined): FileFormat | undefined {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") return "json";
  if (type === "text/csv" || type === "application/csv") return "csv";
  if (type === "application/xml" || type === "text/xml") return "xml";
  if (type === "application/pdf") return "pdf";
  return undefined;
}

/** The format of a file from its name, for the CLI. */
export function formatOfFile(name: string): FileFormat | undefined {
  const extension = name.toLowerCase().split(".").pop();
  if (extension === "json") return "json";
  if (extension === "csv") return "csv";
  if (extension === "xml") return "xml";
  if (extension === "pdf") return "pdf";
  return undefined;
}
