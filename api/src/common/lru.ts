/**
 * A small least-recently-used map of pending or settled values (a promise per slot, so concurrent readers of a
 * missing key share one build), with the data revision a value was built at.
 */
export interface Slot<T> {
  value: Promise<T>;
  /** the data revision (or another stamp of what the value was built from) */
  revision: number | string | null;
}

export class Lru<T> {
  private readonly m = new Map<string, Slot<T>>();
  constructor(private readonly max: number) {}
  get(k: string): Slot<T> | undefined {
    const v = this.m.get(k);
    if (v) {
      this.m.delete(k);
      this.m.set(k, v);
    }
    return v;
  }
  set(k: string, v: Slot<T>): void {
    this.m.delete(k);
    this.m.set(k, v);
    while (this.m.size > this.max) this.m.delete(this.m.keys().next().value as string);
  }
  delete(k: string, v: Slot<T>): void {
    if (this.m.get(k) === v) this.m.delete(k);
  }
  clear(): void {
    this.m.clear();
  }
}
