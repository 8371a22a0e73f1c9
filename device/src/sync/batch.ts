/**
 * A `node/<node>/ledger` payload built from stored lines as they are: the
 * lines are canonical JSON already, so the batch is canonical JSON too
 * (`entries` sorts before `node`) without parsing or re-serialising them.
 */
export function batchPayload(node: string, lines: readonly string[]): string {
  return `{"entries":[${lines.join(",")}],"node":${JSON.stringify(node)}}`;
}

/** The bytes a batch adds around its lines: braces, keys, the node id and the commas. */
export function batchOverhead(node: string, entries: number): number {
  return batchPayload(node, []).length + Math.max(0, entries - 1);
}
