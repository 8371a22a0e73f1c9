/** The last `capacity` items, newest first on read; constant memory. */
export class Recent<T> {
  private readonly items: T[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  newest(limit: number): T[] {
    const ordered = [...this.items.slice(this.next), ...this.items.slice(0, this.next)].reverse();
    return ordered.slice(0, Math.max(0, limit));
  }
}
