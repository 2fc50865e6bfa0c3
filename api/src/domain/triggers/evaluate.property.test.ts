import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataRequirements, evaluateRuleSet } from './evaluate';
import { REGION, SOURCE } from './fixtures.test-support';
import { PRESETS } from './presets';
import { INDICATORS } from '../reference';
import { type IndicatorValue, RELEASE_TYPES, type RuleSet } from './schema';

const YEARS = [2021, 2022, 2023, 2024] as const;

/** A plausible value of an indicator: flags 0/1, rates −3…12%, shares 5–35%, money and counts in their ranges. */
function plausible(indicator: string): fc.Arbitrary<number> {
  const d = INDICATORS.find((x) => x.code === indicator);
  switch (d?.kind) {
    case 'flag':
      return fc.constantFrom(0, 1);
    case 'rate':
      return fc.integer({ min: -6, max: 24 }).map((x) => x / 2);
    case 'share':
      return fc.integer({ min: 5, max: 35 });
    case 'amount':
      return d.unit === '元' ? fc.integer({ min: 200, max: 400 }) : fc.integer({ min: -20, max: 500 });
    default:
      return fc.integer({ min: 0, max: 100 });
  }
}

/** Values of one indicator and year: one to three releases, sometimes a sub-annual value instead or beside. */
function cellArb(indicator: string, year: number, regionCode: string): fc.Arbitrary<IndicatorValue[]> {
  const unit = INDICATORS.find((d) => d.code === indicator)?.unit ?? '';
  const one = (period: string) =>
    fc.record({
      regionCode: fc.constant(regionCode),
      indicator: fc.constant(indicator),
      period: fc.constant(period),
      value: plausible(indicator),
      unit: fc.constant(unit),
      source: fc.constantFrom(SOURCE, '统计公报'),
      releaseType: fc.constantFrom(...RELEASE_TYPES),
      isGenerated: fc.boolean(),
    });
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(one(String(year)), { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom('-03', '-12', 'Q4').chain((s) => one(`${year}${s}`)), { minLength: 1, maxLength: 2 }) },
  );
}

/** A data set over the given indicators and years 2021–2024; each cell is empty with probability 1/freq. */
function dataArb(indicators: readonly string[], freq = 8, regionCode = REGION): fc.Arbitrary<IndicatorValue[]> {
  const cells = indicators.flatMap((ind) => YEARS.map((y) => fc.option(cellArb(ind, y, regionCode), { freq })));
  return fc.tuple(...cells).map((xs) => xs.flatMap((x) => x ?? []));
}

const presetArb = fc.constantFrom(...(Object.values(PRESETS) as RuleSet[]));
const kindArb = fc.constantFrom('regular' as const, 'special' as const);

describe('evaluation properties', () => {
  it('adding values for indicators no rule reads (or for other regions) never changes the result', () => {
    fc.assert(
      fc.property(presetArb, kindArb, fc.gen(), (rs, kind, g) => {
        const used = dataRequirements(rs, 2025).indicators;
        const unused = [...INDICATORS.map((d) => d.code).filter((c) => !used.includes(c)), 'not_in_catalogue'];
        const values = g(() => dataArb(used));
        const extra = [...g(() => dataArb(unused, 2)), ...g(() => dataArb(used, 2, '320500'))];
        const mixed = g(() => fc.shuffledSubarray([...values, ...extra], { minLength: values.length + extra.length }));
        const before = evaluateRuleSet(rs, { regionCode: REGION, year: 2025, kind, values });
        const after = evaluateRuleSet(rs, { regionCode: REGION, year: 2025, kind, values: mixed });
        expect(after).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same input, in any order, gives the same result', () => {
    fc.assert(
      fc.property(presetArb, kindArb, dataArb(INDICATORS.map((d) => d.code)), fc.gen(), (rs, kind, values, g) => {
        const input = { regionCode: REGION, year: 2025, kind, values };
        const a = evaluateRuleSet(rs, input);
        const b = evaluateRuleSet(rs, structuredClone(input));
        const shuffled = g(() => fc.shuffledSubarray(values, { minLength: values.length }));
        const c = evaluateRuleSet(rs, { ...input, values: shuffled });
        expect(b).toEqual(a);
        expect(c).toEqual(a);
        expect(JSON.stringify(c)).toBe(JSON.stringify(a));
      }),
      { numRuns: 300 },
    );
  });

  it('missing data is never a pass: with no values every rule is insufficient_data and so is the status', () => {
    fc.assert(
      fc.property(presetArb, kindArb, fc.integer({ min: 2022, max: 2030 }), (rs, kind, year) => {
        const r = evaluateRuleSet(rs, { regionCode: REGION, year, kind, values: [] });
        expect(r.status).toBe('insufficient_data');
        expect(r.rules.every((e) => e.outcome === 'insufficient_data' && e.missing.length > 0)).toBe(true);
      }),
    );
  });

  it('status follows the decision table from the rule outcomes', () => {
    fc.assert(
      fc.property(presetArb, kindArb, dataArb(INDICATORS.map((d) => d.code)), (rs, kind, values) => {
        const r = evaluateRuleSet(rs, { regionCode: REGION, year: 2025, kind, values, lastEvaluationYear: 2023 });
        const starts = r.rules.filter((e) => e.role === 'start').map((e) => e.outcome);
        const cons = r.rules.filter((e) => e.role === 'constraint').map((e) => e.outcome);
        const start =
          rs.startCombine === 'any'
            ? starts.includes('met') ? true : starts.every((o) => o === 'not_met') ? false : null
            : starts.includes('not_met') ? false : starts.every((o) => o === 'met') ? true : null;
        expect(r.startMet).toBe(start);
        let expected: string;
        if (kind === 'regular' && cons.includes('met')) expected = 'blocked';
        else if (start === false) expected = 'not_started';
        else if (start === null) expected = 'insufficient_data';
        else if (kind === 'regular' && cons.includes('insufficient_data')) expected = 'insufficient_data';
        else expected = 'triggered';
        expect(r.status).toBe(expected);
        if (r.status === 'triggered') expect(r.blockedBy).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
