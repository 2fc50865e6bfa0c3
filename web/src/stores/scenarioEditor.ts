/**
 * The open scenario's edit state: the round's facts (read once), the saved changes, the user's edits on top of them,
 * and the impact recomputed locally on every edit (scenario/facts.ts), with a save that carries the scenario's version.
 *
 * An edit sets a row's new price; setting it back to the old price removes the change. `dirty` says whether the edits
 * differ from what is saved. A save sends only the rows whose price differs from the saved one (set or removed, PATCH)
 * with the version it was loaded at; a 409 keeps the edits and reports `conflict` so the page can offer to reload or
 * to keep the edits as a new scenario. `restore` writes an earlier version of the scenario as the newest one (with the
 * loaded version, so a stale one is refused) and reads the scenario again, dropping unsaved edits.
 */
import { computed, shallowRef, triggerRef } from 'vue';
import { rowKey } from '@domain/pricing';
import { ApiError } from '../api/client';
import { createScenario, getFacts, getScenario, patchChanges, putChanges, restoreVersion, type ScenarioChange, type ScenarioWithChanges } from '../api/scenarios';
import { decodeFacts, LiveImpact, type ChangeLike, type Recomputed, type ScenarioFacts } from '../scenario/facts';

export interface Edit {
  newPriceFen: number;
  reason: string | null;
}

export function useScenarioEditor() {
  const facts = shallowRef<ScenarioFacts | null>(null);
  const scenario = shallowRef<ScenarioWithChanges | null>(null);
  /** the working change list by row key: saved changes with the edits applied */
  const working = shallowRef(new Map<string, Edit>());
  /** the saved new price of each changed row, and the keys whose working price differs from it (kept per edit: O(1)) */
  let saved = new Map<string, number>();
  const differing = shallowRef(new Set<string>());
  const conflict = shallowRef<ApiError | null>(null);
  /** the rows with the working changes in place, kept edit by edit */
  let live: LiveImpact | null = null;

  function adopt(s: ScenarioWithChanges): void {
    scenario.value = s;
    const m = new Map<string, Edit>();
    for (const c of s.changes) m.set(rowKey(c.itemCode, c.level), { newPriceFen: c.newPriceFen, reason: c.reason });
    working.value = m;
    saved = new Map([...m].map(([k, e]) => [k, e.newPriceFen]));
    differing.value = new Set();
    conflict.value = null;
    live = null;
  }

  async function load(id: number): Promise<void> {
    const [bytes, s] = await Promise.all([getFacts(id), getScenario(id)]);
    facts.value = decodeFacts(bytes);
    adopt(s);
  }

  /** Reads the scenario again (after a server-side write such as scaling, or to drop the edits). */
  async function reload(): Promise<void> {
    if (!scenario.value) return;
    const id = scenario.value.id;
    const s = await getScenario(id);
    // a server-side write may have added rows at unpriced levels: read the facts again (cached on the server)
    facts.value = decodeFacts(await getFacts(id));
    adopt(s);
  }

  const changes = computed<ChangeLike[]>(() => {
    const f = facts.value;
    if (!f) return [];
    const out: ChangeLike[] = [];
    for (const [key, e] of working.value) {
      const i = f.index.get(key);
      if (i === undefined) continue;
      const r = f.rows[i];
      out.push({ itemCode: r.itemCode, level: r.level, oldPriceFen: r.oldPriceFen, newPriceFen: e.newPriceFen, reason: e.reason });
    }
    return out;
  });

  const impact = computed<Recomputed | null>(() => {
    void working.value;
    if (!facts.value) return null;
    live ??= new LiveImpact(facts.value, changes.value);
    return live.compute();
  });
  const dirty = computed(() => differing.value.size > 0);
  const locked = computed(() => scenario.value !== null && scenario.value.status !== 'draft');

  function newPriceOf(key: string, oldPriceFen: number): number {
    return working.value.get(key)?.newPriceFen ?? oldPriceFen;
  }

  /** Sets a row's new price (whole fen ≥ 0); the old price removes the change. */
  function setPrice(key: string, newPriceFen: number): void {
    const f = facts.value;
    if (!f || locked.value) return;
    const i = f.index.get(key);
    if (i === undefined || !Number.isSafeInteger(newPriceFen) || newPriceFen < 0) return;
    const m = working.value;
    if (newPriceFen === f.rows[i].oldPriceFen) m.delete(key);
    else m.set(key, { newPriceFen, reason: m.get(key)?.reason ?? null });
    live?.set(i, newPriceFen, m.get(key)?.reason ?? null);
    const d = differing.value;
    const was = d.size;
    if ((saved.get(key) ?? f.rows[i].oldPriceFen) === newPriceFen) d.delete(key);
    else d.add(key);
    if (d.size !== was) triggerRef(differing);
    triggerRef(working);
  }

  function revert(): void {
    if (scenario.value) adopt(scenario.value);
  }

  function body() {
    return changes.value.map((c) => ({ itemCode: c.itemCode, level: c.level, newPriceFen: c.newPriceFen, ...(c.reason ? { reason: c.reason } : {}) }));
  }

  /**
   * Saves the edited rows with the loaded version (a change of one cell writes one row); a stale version sets
   * `conflict` and keeps the edits.
   */
  async function save(): Promise<boolean> {
    const s = scenario.value;
    const f = facts.value;
    if (!s || !f) return false;
    const set: { itemCode: string; level: number; newPriceFen: number; reason?: string }[] = [];
    const remove: { itemCode: string; level: number }[] = [];
    for (const key of differing.value) {
      const r = f.rows[f.index.get(key)!];
      const e = working.value.get(key);
      if (e) set.push({ itemCode: r.itemCode, level: r.level, newPriceFen: e.newPriceFen, ...(e.reason ? { reason: e.reason } : {}) });
      else remove.push({ itemCode: r.itemCode, level: r.level });
    }
    try {
      const done = await patchChanges(s.id, s.version, set, remove);
      // the saved list is now the working one: no need to read it back (rows not edited keep their source)
      const before = new Map(s.changes.map((c) => [rowKey(c.itemCode, c.level), c]));
      const list: ScenarioChange[] = changes.value.map((c) => {
        const key = rowKey(c.itemCode, c.level);
        const r = f.rows[f.index.get(key)!];
        const kept = differing.value.has(key) ? undefined : before.get(key);
        if (kept) return kept;
        return {
          itemCode: c.itemCode, name: r.name, unit: r.unit, categoryCode: r.categoryCode === 'uncategorised' ? null : r.categoryCode, level: c.level,
          oldPriceFen: c.oldPriceFen, newPriceFen: c.newPriceFen, deltaFen: c.newPriceFen - c.oldPriceFen, reason: c.reason, source: 'manual',
        };
      });
      const up = list.filter((c) => c.deltaFen > 0).length;
      const down = list.filter((c) => c.deltaFen < 0).length;
      adopt({ ...s, version: done.version, updatedAt: done.updatedAt, changes: list, changeCount: list.length, upCount: up, downCount: down });
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        conflict.value = e;
        return false;
      }
      throw e;
    }
  }

  /** Keeps the edits as a new scenario of the same round; returns its id. */
  async function saveAsNew(name: string): Promise<number> {
    const s = scenario.value!;
    const created = await createScenario(s.roundId, name);
    const saved = await putChanges(created.id, created.version, body());
    return saved.id;
  }

  /**
   * Saves version `version`'s change list as the newest version, on the version the editor holds (a 409 is thrown to
   * the caller: someone saved meanwhile), then reads the scenario and its facts again; returns the new version.
   */
  async function restore(version: number): Promise<number> {
    const s = scenario.value!;
    const done = await restoreVersion(s.id, version, s.version);
    // a restored list may change rows at levels not priced on the price date: the facts again, as after a bulk action
    facts.value = decodeFacts(await getFacts(s.id));
    adopt(done.scenario);
    return done.scenario.version;
  }

  return { facts, scenario, working, changes, impact, dirty, locked, conflict, load, reload, adopt, newPriceOf, setPrice, revert, save, saveAsNew, restore };
}

export type ScenarioEditor = ReturnType<typeof useScenarioEditor>;
