/**
 * What an audit record keeps of an update: the fields whose value changes, as they were and as they will be. An
 * object field given in `nested` (a round's `params`) is compared key by key and keeps only the keys that change.
 * Values compare as JSON with sorted object keys (stored jsonb comes back with its keys reordered).
 */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export interface ChangedFields {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

export function changedFields(cur: Record<string, unknown>, next: Record<string, unknown>, nested: readonly string[] = ['params']): ChangedFields {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined) continue;
    const was = cur[k] ?? null;
    if (canonicalJson(was) === canonicalJson(v)) continue;
    if (nested.includes(k) && isObject(was) && isObject(v)) {
      const inner = changedFields(was, v, []);
      for (const key of Object.keys(was)) if (!(key in v)) [inner.before[key], inner.after[key]] = [was[key], null];
      before[k] = inner.before;
      after[k] = inner.after;
    } else {
      before[k] = was;
      after[k] = v;
    }
  }
  return { before, after };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
