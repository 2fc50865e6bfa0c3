/**
 * What a briefing says, as plain rows and sentences (pure: BriefingData in, text out; no Nest, no I/O): the item list
 * with one line per item and its prices per hospital level, the verdict, the three headline sentences, the largest
 * ups and downs, the rule table and the assumptions. The PDF and the Excel files lay these out; both use the web
 * app's formatters (web/src/format.ts), so an amount reads the same on the page, in the PDF and in the workbook.
 */
import { CATEGORIES, HOSPITAL_LEVEL_LABEL, type HospitalLevel } from '../domain/reference';
import { formatThreshold, formatValue, type DisplayUnit, type Evidence, type RuleRole, type TriggerStatus } from '../domain/triggers';
import { COMPARISON_ZH } from '../domain/triggers/format';
import type { ImpactGroup, ScenarioCheck } from '../domain/pricing';
import type { ImpactItemRow, ImpactResponse } from '../impact/impact.schemas';
import { money, percent } from '../../../web/src/format';
import type { BriefingData } from './briefing.schemas';

export const LEVELS: readonly HospitalLevel[] = [3, 2, 1];
export const LEVEL_ZH = HOSPITAL_LEVEL_LABEL;

const CATEGORY_ZH = new Map(CATEGORIES.map((c) => [c.code, c.name_zh]));
export const categoryZh = (code: string | null): string => (code ? (CATEGORY_ZH.get(code) ?? code) : '—');

export interface LevelPrice {
  oldPriceFen: number;
  newPriceFen: number;
  /** ΔP ÷ P⁰; null when P⁰ = 0 */
  changeRate: number | null;
  changed: boolean;
  /** the fund's share of the price at this level (payment class × level) */
  fundShare: number;
  quantity: number;
}

/** One line of the 调价项目表: an item with its prices at each level it is priced at. */
export interface ItemLine {
  itemCode: string;
  name: string;
  unit: string | null;
  categoryCode: string;
  categoryZh: string;
  paymentClass: string | null;
  levels: Partial<Record<HospitalLevel, LevelPrice>>;
  /** Σ ΔP·Q, fund and out-of-pocket over the item's levels, fen */
  deltaRevenueFen: number;
  fundFen: number;
  outOfPocketFen: number;
  /** levels whose price changes */
  changedLevels: number;
}

/**
 * The 调价项目表: one line per item that changes at some level, in item-code order, with every level it is priced
 * at (an unchanged level shows 原价 = 新价). Rows of items without a change are left out.
 */
export function itemLines(rows: readonly ImpactItemRow[]): ItemLine[] {
  const byCode = new Map<string, ItemLine>();
  for (const r of rows) {
    let line = byCode.get(r.itemCode);
    if (!line) {
      line = {
        itemCode: r.itemCode,
        name: r.name,
        unit: r.unit,
        categoryCode: r.categoryCode,
        categoryZh: categoryZh(r.categoryCode),
        paymentClass: r.paymentClass,
        levels: {},
        deltaRevenueFen: 0,
        fundFen: 0,
        outOfPocketFen: 0,
        changedLevels: 0,
      };
      byCode.set(r.itemCode, line);
    }
    line.levels[r.level] = {
      oldPriceFen: r.oldPriceFen,
      newPriceFen: r.newPriceFen,
      changeRate: r.changeRate,
      changed: r.changed,
      fundShare: r.fundShare,
      quantity: r.quantity,
    };
    line.deltaRevenueFen += r.deltaRevenueFen;
    line.fundFen += r.fundFen;
    line.outOfPocketFen += r.outOfPocketFen;
    if (r.changed) line.changedLevels++;
  }
  return [...byCode.values()].filter((l) => l.changedLevels > 0).sort((a, b) => (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : 0));
}

/** A change rate as a signed percentage with one decimal: 0.3 → "+30.0%", −0.25 → "-25.0%", 0 → "0.0%". */
export function rateText(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  const body = percent(rate, 1).slice(0, -1); // "30" | "12.5" | "-25"
  return `${rate > 0 ? '+' : ''}${body.includes('.') ? body : `${body}.0`}%`;
}

/** A rate as a percentage with exactly `decimals` decimals, for table columns: 0.338 → "33.80%"; null → "—". */
export function percentFixed(rate: number | null | undefined, decimals: number): string {
  const t = percent(rate, decimals);
  if (t === '—') return t;
  const [int, frac = ''] = t.slice(0, -1).split('.');
  return decimals ? `${int}.${frac.padEnd(decimals, '0')}%` : `${int}%`;
}

// ---- the verdict and the headline sentences

export interface Verdict {
  /** no error check fails */
  ok: boolean;
  textZh: string;
}

export function verdict(impact: ImpactResponse): Verdict {
  const s = impact.summary;
  const errors = s.checks.filter((c) => c.severity === 'error');
  const warnings = s.checks.filter((c) => c.severity === 'warning');
  if (errors.length) {
    return {
      ok: false,
      textZh: `方案未通过 ${errors.length} 项硬性检查（${errors.map((c) => c.code).join('、')}），须调整后再报审定。`,
    };
  }
  const total = impact.total.totalFen;
  const within = total === null ? '未取得调价总量，未核对是否在总量之内' : `净调价金额在调价总量 ${money(total)} 之内`;
  return {
    ok: true,
    textZh: `方案通过全部硬性检查，${within}${warnings.length ? `；另有 ${warnings.length} 项提示（${warnings.map((c) => c.code).join('、')}），见第四部分` : ''}。`,
  };
}

const largest = (groups: readonly ImpactGroup[], pick: (g: ImpactGroup) => number): ImpactGroup | null =>
  groups.reduce<ImpactGroup | null>((best, g) => (pick(g) > 0 && (!best || pick(g) > pick(best)) ? g : best), null);

const shareOf = (part: number, whole: number): number | null => (whole !== 0 ? part / whole : null);

/** Three sentences written from the numbers: scale against the total, where the money moves, who pays. */
export function headlines(d: Pick<BriefingData, 'impact'>): [string, string, string] {
  const { impact } = d;
  const s = impact.summary;
  const total = impact.total.totalFen;
  const totalPart =
    total === null
      ? '未取得调价总量'
      : `占调价总量 ${money(total)} 的 ${percent(shareOf(s.netFen, total), 1)}${s.withinTotal ? '' : `，超出 ${money(s.overByFen)}`}`;
  const one =
    `方案调整 ${s.adjustedItemCount} 个项目的 ${s.changedRowCount} 项价格（上调 ${s.upRowCount} 项、下调 ${s.downRowCount} 项），` +
    `按 ${impact.baseYear} 年公立医疗机构服务量测算，年度净调价金额 ${money(s.netFen)}，${totalPart}。`;

  const up = largest(s.byCategory, (g) => g.grossUpFen);
  const down = largest(s.byCategory, (g) => g.grossDownFen);
  const labour =
    s.labour.share === null
      ? '方案没有上调项目'
      : `上调金额中技术劳务为主的项目占 ${percent(s.labour.share, 1)}（要求不低于 ${percent(s.labour.ruleShare, 0)}）`;
  const two =
    `上调 ${money(s.grossUpFen)}${up ? `，以${up.labelZh}为主（${money(up.grossUpFen)}）` : ''}；` +
    `下调 ${money(s.grossDownFen)}${down ? `，以${down.labelZh}为主（${money(down.grossDownFen)}）` : ''}；${labour}。`;

  const share = impact.serviceRevenueShare;
  const three =
    `净调价金额中医保基金支付 ${money(s.fundFen)}（${percent(shareOf(s.fundFen, s.netFen), 1)}），患者个人负担 ${money(s.outOfPocketFen)}` +
    `（${percent(shareOf(s.outOfPocketFen, s.netFen), 1)}）` +
    (share ? `；医疗服务收入占比由 ${percent(share.before, 2)} 变为 ${percent(share.after, 2)}。` : '；未测算医疗服务收入占比（缺少基期指标）。');
  return [one, two, three];
}

// ---- the largest ups and downs

/** The `n` changed rows with the largest raise (ΔP·Q > 0) and the `n` with the largest cut. */
export function largestMoves(rows: readonly ImpactItemRow[], n: number): { ups: ImpactItemRow[]; downs: ImpactItemRow[] } {
  const changed = rows.filter((r) => r.changed);
  const ups = changed.filter((r) => r.deltaRevenueFen > 0).sort((a, b) => b.deltaRevenueFen - a.deltaRevenueFen).slice(0, n);
  const downs = changed.filter((r) => r.deltaRevenueFen < 0).sort((a, b) => a.deltaRevenueFen - b.deltaRevenueFen).slice(0, n);
  return { ups, downs };
}

// ---- the trigger evaluation

export const ROLE_ZH: Record<RuleRole, string> = { start: '启动条件', constraint: '约束条件', reminder: '提醒条件' };
export const STATUS_ZH: Record<TriggerStatus, string> = {
  triggered: '触发调价',
  blocked: '约束条件阻止上调',
  not_started: '未满足启动条件',
  insufficient_data: '数据不足，无法判断',
};

export interface RuleLine {
  role: string;
  label: string;
  value: string;
  threshold: string;
  source: string;
  outcome: string;
}

function outcomeZh(e: Evidence): string {
  if (e.outcome === 'insufficient_data') return '数据不足';
  const met = e.outcome === 'met';
  if (e.role === 'start') return met ? '满足' : '不满足';
  if (e.role === 'constraint') return met ? '触发约束' : '未触发';
  return met ? '提醒' : '未触发';
}

/** A threshold as a rule reads it: "高于 10%", "低于 3个月"; a yes/no condition reads "为“是”". */
function thresholdZh(e: Evidence): string {
  if (e.unit === '是/否' && (e.comparison === '=' || e.comparison === '!=')) {
    const yes = (e.threshold === 1) === (e.comparison === '=');
    return `为“${yes ? '是' : '否'}”`;
  }
  return `${COMPARISON_ZH[e.comparison]} ${formatThreshold(e.threshold, e.unit as DisplayUnit)}`;
}

/** The sources of a rule's inputs, each with its periods: "演示数据生成器（2023、2024年，生成数据）". */
function sourcesZh(e: Evidence): string {
  if (!e.inputs.length) return e.missing.length ? `缺少 ${e.missing.map((m) => `${m.indicator}（${m.period}）`).join('、')}` : '—';
  const bySource = new Map<string, { periods: string[]; generated: boolean }>();
  for (const i of e.inputs) {
    const s = bySource.get(i.source) ?? { periods: [], generated: false };
    if (!s.periods.includes(i.period)) s.periods.push(i.period);
    s.generated ||= i.isGenerated;
    bySource.set(i.source, s);
  }
  return [...bySource]
    .map(([src, s]) => `${src}（${s.periods.sort().join('、')}${/^\d{4}$/.test(s.periods[0] ?? '') ? '年' : ''}${s.generated ? '，生成数据' : ''}）`)
    .join('；');
}

export function ruleLines(rules: readonly Evidence[]): RuleLine[] {
  return rules.map((e) => ({
    role: ROLE_ZH[e.role],
    label: e.label || e.expressionText,
    value: e.value === null ? '—' : formatValue(e.value, e.unit as DisplayUnit),
    threshold: thresholdZh(e),
    source: sourcesZh(e),
    outcome: outcomeZh(e),
  }));
}

// ---- checks and assumptions

export const SEVERITY_ZH: Record<ScenarioCheck['severity'], string> = { error: '错误', warning: '提示' };

const FUND_SOURCE_ZH: Record<string, string> = {
  reimbursement_rate: '本地区医保支付比例表',
  params: '轮次参数 fundShareByLevel × 支付类别系数',
  demo: '按医院等级的默认比例（52% / 64% / 74%）× 支付类别系数',
};

const LABOUR_SOURCE_ZH: Record<ImpactItemRow['labourShareSource'], string> = {
  item: '项目表的技术劳务占比',
  cost: '成本数据（人员经费 ÷ 单位成本）',
  category: '无占比数据，按项目类别判断',
};

/** The assumptions and fallbacks the impact used, one sentence each. */
export function assumptions(d: Pick<BriefingData, 'impact' | 'itemRows' | 'total' | 'totalError' | 'round'>): string[] {
  const { impact } = d;
  const p = impact.paramsUsed;
  const out: string[] = [];
  out.push(
    `价格日期 ${impact.priceDate}（原价为该日现行价格）；基期 ${impact.baseYear} 年，服务量取本地区公立医疗机构该年服务量，调价后服务量不变。`,
  );
  const totalSource = { round: '轮次已分配的调价总量', params: '轮次参数设定的调价总金额', computed: '按总量模型测算的调价总量', none: '无' }[impact.total.source];
  out.push(`核对净调价金额所用的调价总量：${totalSource}${impact.total.totalFen === null ? '' : ` ${money(impact.total.totalFen)}`}${impact.total.note ? `（${impact.total.note}）` : ''}。`);
  out.push(
    `调价幅度上限 ${p.changeCap === null ? '未设定' : `±${percent(p.changeCap, 1)}`}；调价项目数比例下限 ${percent(p.itemShareFloor, 1)}；` +
      `技术劳务为主的项目（技术劳务占比高于 ${percent(p.labourItemThreshold, 0)}）应占上调金额不低于 ${percent(p.labourRuleShare, 0)}。`,
  );
  out.push(p.fundShareRuleZh);
  const sources = Object.entries(p.fundShareSources)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${FUND_SOURCE_ZH[k] ?? k} ${n} 行`);
  if (sources.length) out.push(`各项目价格的基金支付比例来源：${sources.join('，')}。`);
  const labour = new Map<string, number>();
  for (const r of d.itemRows) if (r.changed) labour.set(r.labourShareSource, (labour.get(r.labourShareSource) ?? 0) + 1);
  if (labour.size) {
    out.push(`调整价格的技术劳务占比来源：${[...labour].map(([k, n]) => `${LABOUR_SOURCE_ZH[k as ImpactItemRow['labourShareSource']]} ${n} 项`).join('，')}。`);
  }
  if (impact.serviceRevenueShare) out.push(impact.serviceRevenueShare.methodZh);
  if (d.total?.fundShare) out.push(`调价总量的基金承受能力测算采用基金支付比例 ${percent(d.total.fundShare.value, 2)}（${d.total.fundShare.source === 'params' ? '轮次参数' : '按基期收入加权'}）。`);
  if (d.totalError) out.push(`调价总量未能测算：${d.totalError}`);
  for (const w of impact.warnings) out.push(w);
  for (const w of d.total?.warnings ?? []) out.push(w);
  return out;
}

export { money, percent, LEVEL_ZH as levelZh };
