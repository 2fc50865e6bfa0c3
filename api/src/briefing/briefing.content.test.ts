import { describe, expect, it } from 'vitest';
import type { ImpactItemRow, ImpactResponse } from '../impact/impact.schemas';
import { headlines, itemLines, largestMoves, percentFixed, rateText, verdict } from './briefing.content';
import { clean } from './briefing.pdf';

const row = (itemCode: string, level: 1 | 2 | 3, oldPriceFen: number, newPriceFen: number, quantity = 100, fundShare = 0.5): ImpactItemRow => {
  const d = newPriceFen - oldPriceFen;
  const fundFen = Math.round(d * quantity * fundShare);
  return {
    itemCode, name: `项目${itemCode}`, unit: '次', categoryCode: 'nursing', family: 'labour', paymentClass: '甲', level,
    changed: d !== 0, oldPriceFen, newPriceFen, deltaFen: d, changeRate: oldPriceFen ? d / oldPriceFen : null, quantity,
    deltaRevenueFen: d * quantity, fundShare, fundFen, outOfPocketFen: d * quantity - fundFen, unitCostFen: null,
    recoveryBefore: null, recoveryAfter: null, labourShare: null, labourShareSource: 'category', otherRegionCount: 0,
    otherMinFen: null, otherMedianFen: null, otherMaxFen: null, percentileOld: null, percentileNew: null,
  };
};

describe('briefing content', () => {
  it('lists each changed item once with its prices per level, unchanged levels included, items without a change left out', () => {
    const lines = itemLines([row('B', 3, 1000, 1100), row('B', 2, 900, 900), row('A', 1, 500, 450, 10), row('C', 3, 700, 700)]);
    expect(lines.map((l) => l.itemCode)).toEqual(['A', 'B']);
    expect(lines[1].levels).toMatchObject({ 3: { oldPriceFen: 1000, newPriceFen: 1100, changed: true }, 2: { oldPriceFen: 900, newPriceFen: 900, changed: false } });
    expect(lines[1].levels[1]).toBeUndefined();
    expect(lines[1]).toMatchObject({ changedLevels: 1, deltaRevenueFen: 10_000, fundFen: 5_000, outOfPocketFen: 5_000, categoryZh: '护理' });
    expect(lines[0]).toMatchObject({ deltaRevenueFen: -500 });
  });

  it('writes rates and shares with fixed decimals and a sign for raises', () => {
    expect([rateText(0.3), rateText(-0.25), rateText(0.1234), rateText(0), rateText(null)]).toEqual(['+30.0%', '-25.0%', '+12.3%', '0.0%', '—']);
    expect([percentFixed(0.338, 2), percentFixed(0.5, 1), percentFixed(0.12345, 2), percentFixed(null, 2)]).toEqual(['33.80%', '50.0%', '12.35%', '—']);
  });

  it('picks the largest raises and cuts by ΔP·Q', () => {
    const m = largestMoves([row('A', 3, 100, 200, 10), row('B', 3, 100, 150, 100), row('C', 3, 100, 90, 1000), row('D', 3, 100, 100)], 1);
    expect(m.ups.map((r) => r.itemCode)).toEqual(['B']);
    expect(m.downs.map((r) => r.itemCode)).toEqual(['C']);
  });

  it('writes the verdict and the headlines from the numbers, in the web app\'s money format', () => {
    const group = (key: string, labelZh: string, up: number, down: number) => ({
      key, labelZh, rowCount: 1, changedCount: 1, upCount: 1, downCount: 0, baseRevenueFen: 0, newRevenueFen: 0,
      grossUpFen: up, grossDownFen: down, netFen: up - down, fundFen: 0, outOfPocketFen: 0,
    });
    const impact = {
      baseYear: 2024,
      total: { totalFen: 352_000_000_00, source: 'round', note: null },
      serviceRevenueShare: { before: 0.357, after: 0.3678 },
      summary: {
        adjustedItemCount: 140, changedRowCount: 420, upRowCount: 270, downRowCount: 150,
        netFen: 101_000_000_00, grossUpFen: 145_000_000_00, grossDownFen: 44_000_000_00, withinTotal: true, overByFen: 0,
        fundFen: 56_850_700_0, outOfPocketFen: 101_000_000_00 - 56_850_700_0,
        byCategory: [group('general', '综合医疗服务', 13_147_650_000, 0), group('imaging', '医学影像', 0, 4_100_700_000)],
        labour: { share: 0.5606, ruleShare: 0.6 },
        checks: [{ code: 'SCENARIO.LABOUR_RULE_MISSED', severity: 'warning', messageZh: '' }],
      },
    } as unknown as ImpactResponse;
    const [one, two, three] = headlines({ impact });
    expect(one).toBe('方案调整 140 个项目的 420 项价格（上调 270 项、下调 150 项），按 2024 年公立医疗机构服务量测算，年度净调价金额 1.01亿元，占调价总量 3.52亿元 的 28.7%。');
    expect(two).toContain('以综合医疗服务为主（1.31亿元）');
    expect(two).toContain('以医学影像为主（4100.70万元）');
    expect(two).toContain('技术劳务为主的项目占 56.1%（要求不低于 60%）');
    expect(three).toContain('医疗服务收入占比由 35.7% 变为 36.78%');
    expect(verdict(impact)).toEqual({ ok: true, textZh: '方案通过全部硬性检查，净调价金额在调价总量 3.52亿元 之内；另有 1 项提示（SCENARIO.LABOUR_RULE_MISSED），见第四部分。' });
    const failing = { ...impact, summary: { ...impact.summary, checks: [{ code: 'SCENARIO.OVER_BUDGET', severity: 'error', messageZh: '' }] } } as unknown as ImpactResponse;
    expect(verdict(failing).ok).toBe(false);
  });

  it('writes characters the font lacks with ones it has', () => {
    expect(clean('R₀ = Σ P⁰·Q')).toBe('R0 = Σ P0·Q');
  });
});
