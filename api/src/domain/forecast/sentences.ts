/**
 * The forecast in sentences for the briefing and the view: the assumptions first, then the band beside the static
 * figure, then the checks. Money by magnitude (money.ts formatFenAuto), rates as exact percentages.
 */
import { formatFenAuto } from '../money';
import { percentText } from '../rational';
import { recognitionWeight, type ForecastAssumptions, type Range } from './assumptions';
import type { Band, ForecastResult } from './band';

const num = (x: number) => (x < 0 ? `−${Math.abs(x)}` : String(x));
const rangeText = (r: Range) => (r.lo === r.hi ? num(r.lo) : `${num(r.lo)}～${num(r.hi)}`);
const pctRange = (r: Range) => (r.lo === r.hi ? percentText(r.lo, 2) : `${percentText(r.lo, 2)}～${percentText(r.hi, 2)}`);
const bandText = (b: Band) => `${formatFenAuto(b.p10Fen)}～${formatFenAuto(b.p90Fen)}（中位数 ${formatFenAuto(b.p50Fen)}）`;

/** The assumptions of a forecast year in one clause. */
export function assumptionsSentence(a: ForecastAssumptions, year: number, trendNoteZh: string): string {
  const own = Object.keys(a.elasticityByCategory).length;
  const w = recognitionWeight(a.recognitionYears, year);
  const recognition =
    a.recognitionCategories.length + a.recognitionItems.length === 0
      ? '不计检查检验结果互认'
      : `检查检验结果互认减少重复检查检验服务量 ${pctRange(a.recognition)}（${year}年按政策进度计 ${percentText(w, 1)}）`;
  return (
    `假设：价格弹性 ${rangeText(a.elasticity)}${own ? `（另有 ${own} 个类别单独设定）` : ''}，` +
    `${recognition}，${a.trend === 'none' ? '服务量不计趋势增长' : trendNoteZh}；` +
    `按固定种子 ${a.seed} 抽样 ${a.draws} 次。`
  );
}

/** Sentences of the forecast: assumptions, the net / fund / out-of-pocket band beside the static figure, checks. */
export function forecastSentences(r: ForecastResult, a: ForecastAssumptions, trendNoteZh: string): string[] {
  const t = r.total;
  const out = [
    assumptionsSentence(a, r.year, trendNoteZh),
    `${r.year}年净调价金额 P10–P90 为 ${bandText(t.net)}，静态测算（基期服务量不变）为 ${formatFenAuto(t.static.netFen)}；` +
      `假设区间内的精确范围为 ${formatFenAuto(t.net.minFen)}～${formatFenAuto(t.net.maxFen)}。`,
    `基金增支 P10–P90 为 ${bandText(t.fund)}（静态 ${formatFenAuto(t.static.fundFen)}），个人负担 P10–P90 为 ${bandText(t.outOfPocket)}（静态 ${formatFenAuto(t.static.outOfPocketFen)}）。`,
  ];
  if (r.recognitionWeight > 0 && (a.recognitionCategories.length || a.recognitionItems.length)) {
    out.push(`检查检验结果互认另腾出检查检验费用 ${formatFenAuto(r.recognitionSavings.net.p10Fen)}～${formatFenAuto(r.recognitionSavings.net.p90Fen)}，其中基金 ${formatFenAuto(r.recognitionSavings.fund.p50Fen)}（中位数），可作为调价空间的来源之一。`);
  }
  for (const c of r.checks) out.push(c.sentenceZh);
  return out;
}
