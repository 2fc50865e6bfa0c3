import fc from 'fast-check';

/**
 * Request payloads for property tests of the API, generated from the JSON Schema of a request body as the OpenAPI
 * document has it (z.toJSONSchema of the endpoint's zod 4 schema). zod-fast-check supports zod 3 only, so this walks
 * the JSON Schema instead: objects, arrays, records, unions, enums and consts, bounded numbers and strings, dates and
 * patterns. Values of well-known properties (item codes, institution codes, region codes…) are taken from pools most
 * of the time, so that valid-shaped payloads get past validation into the services and the database.
 *
 * `hostile` mutates a valid-shaped payload: a field (or the whole body) replaced by a NUL character, a huge string,
 * a huge or tiny number, a value of another type or nesting far deeper than any schema, a required field left out,
 * an unknown field added.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
}

/** Values to use for properties of these names (for an array property: values of its elements); `<name>.keys` for a record's keys. */
export type Pools = Readonly<Record<string, readonly unknown[]>>;

const MAX_ARRAY = 4;
const MAX_STRING = 16;
const MAX_DEPTH = 12;
const ABSENT = Symbol('absent');

function bounds(s: JsonSchema): { min: number; max: number } {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum : -1e6);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum : 1e6);
  return { min, max };
}

function integerArb(s: JsonSchema): fc.Arbitrary<number> {
  let { min, max } = bounds(s);
  if (s.minimum === undefined && s.exclusiveMinimum !== undefined) min = Math.floor(s.exclusiveMinimum) + 1;
  if (s.maximum === undefined && s.exclusiveMaximum !== undefined) max = Math.ceil(s.exclusiveMaximum) - 1;
  const small = fc.integer({ min: Math.max(min, -1000), max: Math.max(Math.max(min, -1000), Math.min(max, 100_000)) });
  const any = fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((v) => Math.min(max, Math.max(min, Math.round(v))));
  return fc.oneof({ weight: 1, arbitrary: fc.constantFrom(min, max) }, { weight: 4, arbitrary: small }, { weight: 2, arbitrary: any });
}

function numberArb(s: JsonSchema): fc.Arbitrary<number> {
  const { min, max } = bounds(s);
  const d = fc.double({
    min,
    max,
    minExcluded: s.minimum === undefined && s.exclusiveMinimum !== undefined,
    maxExcluded: s.maximum === undefined && s.exclusiveMaximum !== undefined,
    noNaN: true,
    noDefaultInfinity: true,
  });
  const edges = [s.minimum, s.maximum].filter((v): v is number => v !== undefined);
  return edges.length ? fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...edges) }, { weight: 4, arbitrary: d }) : d;
}

const isoDate = fc.date({ min: new Date('1995-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === 'date') return isoDate;
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? Infinity) && v.length >= (s.minLength ?? 0));
    } catch {
      // a pattern fast-check cannot generate from: plain strings below
    }
  }
  const minLength = s.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxLength ?? MAX_STRING, MAX_STRING));
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ minLength, maxLength, unit: fc.constantFrom(...'价格方案测试项目abc-_ 019') }),
  );
}

/** Valid-shaped values of `schema` (`key`: the property it is the value of, for the pools). */
export function shaped(schema: JsonSchema, pools: Pools, key = '', depth = 0): fc.Arbitrary<unknown> {
  const s = schema ?? {};
  const isContainer = s.type === 'object' || s.type === 'array' || s.properties !== undefined || s.items !== undefined;
  const pool = key ? pools[key] : undefined;
  const base = shapedBase(s, pools, key, depth);
  if (pool && pool.length && !isContainer) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: base });
  return base;
}

function shapedBase(s: JsonSchema, pools: Pools, key: string, depth: number): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return fc.oneof(...alts.map((a) => shaped(a, pools, key, depth + 1)));
  if (s.allOf?.length) return shaped(s.allOf[0]!, pools, key, depth + 1);
  if (Array.isArray(s.type)) return fc.oneof(...s.type.map((t) => shaped({ ...s, type: t }, pools, key, depth)));
  switch (s.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerArb(s);
    case 'number':
      return numberArb(s);
    case 'string':
      return stringArb(s);
    case 'array': {
      const minLength = s.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? MAX_ARRAY, MAX_ARRAY));
      return fc.array(shaped(s.items ?? {}, pools, key, depth + 1), { minLength, maxLength });
    }
    default:
      break;
  }
  if (s.properties) {
    // an optional field is left out two times in three: requests with few options get past the checks that
    // options conflict (scenarioId only with to = approved…) more often
    const required = new Set(s.required ?? []);
    const props: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, v] of Object.entries(s.properties)) {
      const arb = shaped(v, pools, k, depth + 1);
      props[k] = required.has(k) ? arb : fc.oneof({ weight: 2, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: arb });
    }
    return fc.record(props).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== ABSENT)));
  }
  if (s.type === 'object' || s.additionalProperties !== undefined) {
    const keyPool = pools[`${key}.keys`];
    const keys = keyPool?.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(keyPool as string[])) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }) : fc.string({ maxLength: 8 });
    const values = typeof s.additionalProperties === 'object' && Object.keys(s.additionalProperties).length > 0
      ? shaped(s.additionalProperties, pools, `${key}.values`, depth + 1)
      : fc.jsonValue({ maxDepth: 2 });
    return fc.dictionary(keys, values, { maxKeys: MAX_ARRAY });
  }
  return fc.jsonValue({ maxDepth: 2 });
}

/** An array (or object) nested `depth` deep around `leaf`. */
function nestedValue(depth: number, asObject: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
}

/** Values no field of the API accepts as they are, or only just: NUL, huge text, huge or odd numbers, other types, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '名称\u0000', '', ' ', '0x10', '1e3', '-1', 'null', '\uffff', '\ud800', '𠀀'.repeat(3)),
  // longer than any text field may be (the longest, a scenario's notes, 4,000)
  fc.constantFrom(201, 4001, 20_000).map((n) => '价'.repeat(n)),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e15 + 1, -1e15 - 1, 2 ** 31, -(2 ** 31), -1, 0, 0.5, 1e-320, 999_999.9999999, 1e6),
  fc.constantFrom<unknown>(null, true, false, [], {}, [[]], { constructor: { prototype: { x: 1 } } }),
  fc.tuple(fc.integer({ min: 65, max: 1500 }), fc.boolean()).map(([d, o]) => nestedValue(d, o)),
  fc.string({ maxLength: 12, unit: 'binary' }),
);

type Path = (string | number)[];

/** Paths of every value inside `v` (the root is []). */
function pathsOf(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export type Mutation = 'replace' | 'delete' | 'extra' | 'root';

/** `value` with one hostile change at the `pick`-th of its paths. */
export function mutate(value: unknown, mutation: Mutation, pick: number, hostile: unknown): unknown {
  if (mutation === 'root') return hostile;
  const v = clone(value);
  const paths = pathsOf(v);
  const containers = paths.filter((p) => {
    const x = get(v, p);
    return x !== null && typeof x === 'object';
  });
  if (mutation === 'extra' && containers.length) {
    const p = containers[pick % containers.length]!;
    const c = get(v, p) as Record<string, unknown> | unknown[];
    if (Array.isArray(c)) c.push(hostile);
    else c[`unknown_${pick % 7}`] = hostile;
    return v;
  }
  const inner = paths.filter((p) => p.length > 0);
  if (inner.length === 0) return hostile;
  const p = inner[pick % inner.length]!;
  const parent = get(v, p.slice(0, -1)) as Record<string, unknown> | unknown[];
  const k = p[p.length - 1]!;
  if (mutation === 'delete') {
    if (Array.isArray(parent)) parent.splice(k as number, 1);
    else delete parent[k as string];
  } else (parent as Record<string | number, unknown>)[k] = hostile;
  return v;
}

function get(v: unknown, p: Path): unknown {
  let x = v;
  for (const k of p) x = (x as Record<string | number, unknown>)[k];
  return x;
}

/** A hostile payload: a valid-shaped one with one mutation. */
export function hostile(schema: JsonSchema, pools: Pools): fc.Arbitrary<unknown> {
  return fc
    .tuple(shaped(schema, pools), fc.constantFrom<Mutation>('replace', 'replace', 'replace', 'delete', 'extra', 'root'), fc.nat(), hostileValue)
    .map(([v, m, pick, h]) => mutate(v, m, pick, h));
}
