/**
 * The Chinese sentence of each rule's evidence, for the evaluation page and the briefing: the values with their
 * periods and units, the comparison against the threshold, the consequence for the round (启动 / 约束 / 提醒, a
 * 专项调整 exempt from constraints) and the sources (统计快报 / 统计公报). Wording of numbers and units: format.ts.
 */
import type { Ev, RuleOutcome } from './evidence';
import { COMPARISON_ZH, formatThreshold, formatValue, NEGATED, RELEASE_ZH, ROLE_ZH } from './format';
import type { AdjustmentKind, Rule, RuleRole } from './schema';

export function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function consequence(role: RuleRole, met: boolean, kind: AdjustmentKind): string {
  switch (role) {
    case 'start':
      return met ? '满足启动条件' : '不满足启动条件';
    case 'constraint':
      if (!met) return '不构成约束';
      return kind === 'special' ? '但本次为专项调整，不受该约束条件限制' : '限制价格上调';
    case 'reminder':
      return met ? '触发提醒' : '未触发提醒';
  }
}

function tight(text: string): string {
  return text.replace(/年 /g, '年');
}

function sourcesText(ev: Ev): string {
  const pairs = unique(ev.inputs.map((i) => `${i.source}，${RELEASE_ZH[i.releaseType]}`));
  const parts = [pairs.length ? `来源：${pairs.join('；')}` : '', ...unique(ev.method)].filter((s) => s !== '');
  return parts.length ? `（${parts.join('；')}）` : '';
}

export function sentenceOf(rule: Rule, ev: Ev, outcome: RuleOutcome, kind: AdjustmentKind): string {
  const role = ROLE_ZH[rule.role];
  if (outcome === 'insufficient_data') {
    const what = unique(ev.missingZh);
    return `缺少${what.join('、')}数据，无法判断${role}条件“${rule.label}”。`;
  }
  const met = outcome === 'met';
  const shown = met ? rule.comparison : NEGATED[rule.comparison];
  let body: string;
  if (ev.run) {
    const r = ev.run;
    const values = r.years.map((y) => (y.value === null ? `${y.year}年无数据` : `${y.year}年为${formatValue(y.value, r.unit)}`));
    const cond = `${COMPARISON_ZH[r.comparison]}${formatThreshold(r.threshold, r.unit)}`;
    body = `${r.name}${values.join('、')}，${r.held ? '' : '未'}连续${r.n}年${cond}`;
  } else if (ev.parts && rule.threshold === 0 && ev.value !== null) {
    const [l, r] = ev.parts;
    body = `${tight(l.text)}（${formatValue(l.value as number, l.unit)}）${COMPARISON_ZH[shown]}${tight(r.text)}（${formatValue(r.value as number, r.unit)}）`;
  } else if (rule.expression.type === 'flag' && (rule.comparison === '=' || rule.comparison === '!=') && (rule.threshold === 0 || rule.threshold === 1)) {
    body = `${tight(ev.text)}为“${formatValue(ev.value as number, ev.unit)}”`;
  } else {
    body = `${tight(ev.text)}为${formatValue(ev.value as number, ev.unit)}，${COMPARISON_ZH[shown]}${role}阈值${formatThreshold(rule.threshold, ev.unit)}`;
  }
  return `${body}，${consequence(rule.role, met, kind)}${sourcesText(ev)}。`;
}
