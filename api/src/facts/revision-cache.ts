import { Lru, type Slot } from '../common/lru';

/**
 * Values built from the facts, kept per key while the data revision they were read at is current (see
 * PricingDataRepository.dataRevision): a request reads the revision, and a value of another revision is built
 * again. Concurrent requests for a missing value share one build; a failed build is forgotten. A build reports the
 * revision of the snapshot it read, which may be newer than the one asked for. The revision may also be a text stamp
 * of everything a value depends on (e.g. a scenario's version with the data revision).
 */
export class RevisionCache<T extends { revision: number | string }> {
  private readonly lru: Lru<T>;

  constructor(max: number) {
    this.lru = new Lru<T>(max);
  }

  async get(key: string, revision: T['revision'], build: () => Promise<T>): Promise<T> {
    const hit = this.lru.get(key);
    if (hit && (hit.revision === null || hit.revision === revision)) {
      const v = await hit.value;
      if (v.revision === revision) return v;
    }
    const slot: Slot<T> = { revision, value: build() };
    this.lru.set(key, slot);
    slot.value.catch(() => this.lru.delete(key, slot));
    const v = await slot.value;
    slot.revision = v.revision;
    return v;
  }

  clear(): void {
    this.lru.clear();
  }
}
