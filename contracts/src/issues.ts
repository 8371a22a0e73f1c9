/** One problem found in some input, located by its path: `readers[1].antennas[2].zone`. */
export interface InputProblem {
  path: string;
  message: string;
}

export interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Turns zod issues into path-and-message problems, one per issue. */
export function toProblems(issues: readonly IssueLike[]): InputProblem[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

export function describeProblem(problem: InputProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}
