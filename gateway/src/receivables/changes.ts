/** Told the customers whose receivables (and so exposure) a committed change moved. */
export type ReceivablesListener = (customers: readonly string[]) => void;

/**
 * Which customers' receivables changed, told to listeners (the credit
 * snapshot publisher) once the change is committed. Inside `hold`, the
 * customers are gathered and told once when the work returns, never when it
 * throws: a batch that rolls back must not publish figures that never were.
 */
export class ReceivablesChanges {
  private readonly listeners = new Set<ReceivablesListener>();
  private readonly held: Set<string>[] = [];

  /** Listens for changes; returns the function that stops listening. */
  onChange(listener: ReceivablesListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `work` (a transaction); the customers it changes are told after it returns. */
  hold<T>(work: () => T): T {
    const held = new Set<string>();
    this.held.push(held);
    let result: T;
    try {
      result = work();
    } finally {
      this.held.pop();
    }
    this.tell(held);
    return result;
  }

  /** Says that these customers' receivables changed (null and undefined are skipped). */
  tell(customers: Iterable<string | null | undefined>): void {
    const changed = [...new Set(customers)].filter((customer): customer is string => !!customer);
    if (changed.length === 0) return;
    const outer = this.held.at(-1);
    if (outer) {
      for (const customer of changed) outer.add(customer);
      return;
    }
    for (const listener of this.listeners) listener(changed);
  }
}
