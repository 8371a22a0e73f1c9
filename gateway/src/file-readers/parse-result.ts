import { formatPath, type InputProblem } from "@comptoir/contracts";

/** What a file parser gives: every item, or every problem (a bad file is refused whole). */
export type ParseResult<T> =
  | { ok: true; items: T[]; notes: string[] }
  /** `limit`: a PDF hit a reading limit (memory, time), so the file is too large rather than wrong. */
  | { ok: false; problems: InputProblem[]; limit?: PdfLimitHit };

export type PdfLimitHit = "inflated-bytes" | "heap" | "time";

/** Collects problems located by a path: `line 4: quantity` for CSV, an XPath for XML. */
export class Problems {
  readonly list: InputProblem[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
  /**
   * A schema's refusals of the item at `base` (`[3]`, `payments[3]`, or "" for
   * a lone item), each located under it: `[3].lines[0].quantity`.
   */
  addIssues(base: string, issues: readonly { path: PropertyKey[]; message: string }[]): void {
    for (const issue of issues) {
      const path = formatPath(issue.path);
      this.add(
        base && path ? `${base}${path.startsWith("[") ? "" : "."}${path}` : base || path,
        issue.message,
      );
    }
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
}
