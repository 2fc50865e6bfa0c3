// Indicators for the trigger evaluation (long format, 2021–2025): national figures from the official bulletins where
// they exist (数据性质 真实), everything else generated (数据性质 生成). Three regions are shaped on purpose:
// * 乐山 511100: start conditions hold in 2024 but 医药总费用增长率 is 11.0% (a 湖南-style constraint > 10% blocks it);
// * 苏州 320500: 2024 医疗收入增长率 < GDP增长率 with every constraint fine (cleanly triggered);
// * 赣州 360700: 2024 accumulated fund balance below 3 months of spending (and a current-year deficit).
import type { Region } from './regions';
import { NATIONAL_CODE } from './regions';
import { BULLETIN_SOURCES, type FundBulletinRow, type MacroRow } from './reference';
import { Rng } from './random';

export const INDICATORS: Array<{ code: string; name: string; unit: string }> = [
  { code: 'medical_total_cost_growth', name: '医药总费用增长率', unit: '%' },
  { code: 'outpatient_cost_per_visit', name: '门诊次均费用', unit: '元' },
  { code: 'outpatient_cost_growth', name: '门诊次均费用增长率', unit: '%' },
  { code: 'inpatient_cost_per_stay', name: '住院次均费用', unit: '元' },
  { code: 'inpatient_cost_growth', name: '住院次均费用增长率', unit: '%' },
  { code: 'medical_revenue_growth', name: '医疗收入增长率', unit: '%' },
  { code: 'gdp_growth', name: 'GDP增长率', unit: '%' },
  { code: 'cpi_growth', name: 'CPI涨幅', unit: '%' },
  { code: 'cpi_target', name: 'CPI调控目标', unit: '%' },
  { code: 'cost_growth_target', name: '次均费用增长控制目标', unit: '%' },
  { code: 'disposable_income_growth', name: '居民人均可支配收入增长率', unit: '%' },
  { code: 'avg_wage_growth', name: '城镇单位就业人员平均工资增长率', unit: '%' },
  { code: 'fund_income', name: '医保基金收入', unit: '亿元' },
  { code: 'fund_expenditure', name: '医保基金支出', unit: '亿元' },
  { code: 'fund_current_balance', name: '医保基金当期结余', unit: '亿元' },
  { code: 'fund_accumulated_balance', name: '医保基金累计结余', unit: '亿元' },
  { code: 'drug_revenue_share', name: '药品收入占比', unit: '%' },
  { code: 'consumable_revenue_share', name: '耗材收入占比', unit: '%' },
  { code: 'exam_revenue_share', name: '检查收入占比', unit: '%' },
  { code: 'lab_revenue_share', name: '化验收入占比', unit: '%' },
  { code: 'service_revenue_share', name: '医疗服务收入占比', unit: '%' },
  { code: 'procurement_savings', name: '集采节约金额', unit: '亿元' },
  { code: 'salary_policy_change', name: '薪酬社保政策调整', unit: '0/1' },
  { code: 'major_public_event', name: '重大突发公共事件', unit: '0/1' },
];

const UNIT = new Map(INDICATORS.map((i) => [i.code, i.unit]));

export const YEARS = [2021, 2022, 2023, 2024, 2025] as const;
export const GENERATED_SOURCE = '演示数据生成器';

export type ReleaseType = '快报' | '公报' | '统计年鉴' | '测算';

export interface IndicatorRow {
  regionCode: string;
  regionName: string;
  period: string;
  indicator: string;
  value: number;
  unit: string;
  source: string;
  releaseType: ReleaseType;
  nature: '真实' | '生成';
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** 2022 fund spending (亿元) by region: a city ~100–400亿元 a year. */
const FUND_2022: Record<string, number> = {
  '130200': 168, '320500': 345, '350200': 172, '360700': 196, '511100': 104,
  '150000': 610, '330000': 2280, '510000': 1840,
};

const COST_TARGET: Record<string, number> = {
  '130200': 5.5, '320500': 5.0, '350200': 5.0, '360700': 6.0, '511100': 5.5, '150000': 6.0, '330000': 5.0, '510000': 5.5,
};

function series(r: Rng, means: readonly number[], offset: number, noise: number): number[] {
  return means.map((m) => r1(m + offset + noise * r.normal()));
}

/** Builds a cost-per-case series from a 2020 level and yearly growth rates; growth is recomputed from rounded values. */
function costSeries(level2020: number, growth: number[]): { values: number[]; growth: number[] } {
  const values: number[] = [];
  const g: number[] = [];
  let prev = r1(level2020);
  for (const x of growth) {
    const v = r1(prev * (1 + x / 100));
    g.push(r1((v / prev - 1) * 100));
    values.push(v);
    prev = v;
  }
  return { values, growth: g };
}

export function regionIndicators(region: Region, rng: Rng): IndicatorRow[] {
  const r = rng.fork('indicators:' + region.code);
  const rows: IndicatorRow[] = [];
  const put = (code: string, values: number[], releaseFor: (y: number) => ReleaseType = (y) => (y === 2025 ? '快报' : '统计年鉴')) => {
    values.forEach((v, i) => {
      const year = YEARS[i] as number;
      rows.push({
        regionCode: region.code,
        regionName: region.name,
        period: String(year),
        indicator: code,
        value: v,
        unit: UNIT.get(code) as string,
        source: GENERATED_SOURCE,
        releaseType: releaseFor(year),
        nature: '生成',
      });
    });
  };

  const gdp = series(r, [8.1, 3.0, 5.2, 5.0, 5.1], r.range(-0.6, 0.8), 0.3);
  const cpi = series(r, [0.9, 2.0, 0.3, 0.3, 0.1], 0, 0.2);
  const income = series(r, [8.8, 5.0, 6.0, 5.2, 5.0], r.range(-0.4, 0.6), 0.3);
  const wage = series(r, [9.5, 6.5, 5.5, 4.2, 4.3], r.range(-0.6, 0.6), 0.4);
  const revenue = series(r, [14.0, 4.5, 10.5, 7.8, 5.8], r.range(-1, 1), 0.8);
  const totalCost = series(r, [12.0, 5.8, 9.2, 7.6, 6.6], r.range(-1, 1), 0.6);
  let opGrowth = series(r, [3.5, 2.2, 3.0, 1.8, 1.2], 0, 0.6);
  let ipGrowth = series(r, [2.0, -0.8, -2.2, 0.8, 0.5], 0, 0.6);
  const target = COST_TARGET[region.code] ?? 5.0;

  if (region.code === '511100') {
    // 乐山: start holds (次均费用 fell two years running; 医疗收入 grew slower than GDP) — but 医药总费用 +11.0%.
    opGrowth = [opGrowth[0] as number, opGrowth[1] as number, -1.8, -0.9, opGrowth[4] as number];
    ipGrowth = [ipGrowth[0] as number, ipGrowth[1] as number, -2.1, -1.3, ipGrowth[4] as number];
    revenue[3] = 4.2;
    gdp[3] = 5.6;
    totalCost[3] = 11.0;
  }
  if (region.code === '320500') {
    // 苏州: 医疗收入增长率 4.1 < GDP 5.8; every constraint fine.
    revenue[3] = 4.1;
    gdp[3] = 5.8;
    totalCost[3] = 6.8;
    opGrowth[3] = 2.1;
    ipGrowth[3] = 1.2;
    cpi[3] = 0.4;
  }
  if (region.code === '130200') {
    // 唐山: no start condition in 2024 (revenue grows faster than GDP, costs per case rising).
    revenue[3] = 7.4;
    gdp[3] = 5.5;
    opGrowth[2] = 2.6;
    opGrowth[3] = 2.3;
    ipGrowth[3] = 1.1;
  }

  const op = costSeries(region.kind === 'city' ? r.range(250, 340) : r.range(270, 330), opGrowth);
  const ip = costSeries(region.kind === 'city' ? r.range(8200, 11500) : r.range(8800, 11000), ipGrowth);

  put('gdp_growth', gdp);
  put('cpi_growth', cpi);
  put('cpi_target', [3, 3, 3, 3, 2]);
  put('cost_growth_target', YEARS.map(() => target));
  put('disposable_income_growth', income);
  put('avg_wage_growth', wage);
  put('medical_revenue_growth', revenue);
  put('medical_total_cost_growth', totalCost);
  put('outpatient_cost_per_visit', op.values);
  put('outpatient_cost_growth', op.growth);
  put('inpatient_cost_per_stay', ip.values);
  put('inpatient_cost_growth', ip.growth);

  // Fund: spending grows ~8%/yr, income a little slower; accumulated balance carried forward.
  const exp2022 = FUND_2022[region.code] ?? 200;
  const expGrowth = [0, 0, 9.5, 7.5, 6.0].map((g) => g + r.range(-1, 1));
  const exp: number[] = [];
  exp[1] = exp2022;
  exp[0] = exp2022 / (1 + r.range(0.05, 0.09));
  for (let i = 2; i < 5; i++) exp[i] = (exp[i - 1] as number) * (1 + (expGrowth[i] as number) / 100);
  const margin = [r.range(0.1, 0.16), r.range(0.12, 0.18), r.range(0.08, 0.14), r.range(0.05, 0.11), r.range(0.04, 0.1)];
  let inc = exp.map((e, i) => e * (1 + (margin[i] as number)));
  let acc: number[];
  if (region.code === '360700') {
    // 赣州: resident-insurance pressure — deficits in 2023–2024, reserves below three months of spending in 2024.
    inc = exp.map((e, i) => e * ([1.03, 1.02, 0.985, 0.978, 1.01][i] as number));
    const acc2024 = ((exp[3] as number) * 2.6) / 12;
    acc = [];
    acc[3] = acc2024;
    acc[4] = acc2024 + (inc[4] as number) - (exp[4] as number);
    for (let i = 2; i >= 0; i--) acc[i] = (acc[i + 1] as number) - ((inc[i + 1] as number) - (exp[i + 1] as number));
  } else {
    acc = [];
    let a = ((exp[0] as number) * r.range(9, 15)) / 12;
    for (let i = 0; i < 5; i++) {
      if (i > 0) a += (inc[i] as number) - (exp[i] as number);
      acc[i] = a;
    }
  }
  const incR = inc.map(r2);
  const expR = exp.map(r2);
  const cur = incR.map((x, i) => r2(x - (expR[i] as number)));
  // Accumulated balance: carried forward from the rounded current balances so the series adds up.
  const accR: number[] = [r2(acc[0] as number)];
  for (let i = 1; i < 5; i++) accR[i] = r2((accR[i - 1] as number) + (cur[i] as number));
  const fundRelease = (y: number): ReleaseType => (y === 2025 ? '快报' : '公报');
  put('fund_income', incR, fundRelease);
  put('fund_expenditure', expR, fundRelease);
  put('fund_current_balance', cur, fundRelease);
  put('fund_accumulated_balance', accR, fundRelease);

  // Revenue structure of public hospitals: drugs and consumables falling, services rising.
  const drug0 = r.range(28, 32);
  const cons0 = r.range(11.5, 14);
  const exam0 = r.range(10, 12);
  const lab0 = r.range(8.5, 10.5);
  const other = r.range(5, 7);
  const drug = YEARS.map((_, i) => r1(drug0 - i * r.range(0.6, 1.0)));
  const cons = YEARS.map((_, i) => r1(cons0 - i * r.range(0.3, 0.5)));
  const exam = YEARS.map((_, i) => r1(exam0 - i * r.range(0.1, 0.3)));
  const lab = YEARS.map((_, i) => r1(lab0 - i * r.range(0.1, 0.3)));
  const service = YEARS.map((_, i) => r1(100 - other - (drug[i] as number) - (cons[i] as number) - (exam[i] as number) - (lab[i] as number)));
  put('drug_revenue_share', drug);
  put('consumable_revenue_share', cons);
  put('exam_revenue_share', exam);
  put('lab_revenue_share', lab);
  put('service_revenue_share', service);
  put('procurement_savings', expR.map((e) => r2(e * r.range(0.025, 0.045))));
  put('salary_policy_change', YEARS.map((y) => (y === 2023 && r.chance(0.25) && region.code !== '320500' ? 1 : 0)));
  put('major_public_event', YEARS.map((y) => (y === 2022 ? 1 : 0)));
  return rows;
}

/** The real national rows: fund figures of the NHSA bulletins (both 快报 and 公报 kept), NBS and NHC figures. */
export function nationalRealIndicators(fund: FundBulletinRow[], macro: MacroRow[]): IndicatorRow[] {
  const rows: IndicatorRow[] = [];
  const add = (year: number, indicator: string, value: number, releaseType: ReleaseType, ref: string, note = '') => {
    rows.push({
      regionCode: NATIONAL_CODE,
      regionName: '全国',
      period: String(year),
      indicator,
      value,
      unit: UNIT.get(indicator) as string,
      source: (BULLETIN_SOURCES[ref] ?? ref) + note,
      releaseType,
      nature: '真实',
    });
  };
  for (const [ours, theirs] of Object.entries({
    fund_income: 'fund_income',
    fund_expenditure: 'fund_expenditure',
    fund_current_balance: 'current_year_surplus',
    fund_accumulated_balance: 'accumulated_balance',
  })) {
    for (const year of [2022, 2023, 2024]) {
      for (const release of ['kuaibao_express', 'gongbao_final'] as const) {
        const match = (scope: string) => fund.find((f) => f.year === year && f.releaseType === release && f.scope === scope && f.indicator === theirs);
        // Prefer the whole basic medical insurance fund; fall back to the pooled funds where only those are published.
        const total = match('all_basic_medical_insurance_incl_maternity');
        const pooled = total ? undefined : match('pooled_funds');
        const f = total ?? pooled;
        if (!f) continue;
        add(year, ours, f.value, release === 'kuaibao_express' ? '快报' : '公报', f.sourceRef, pooled ? '（统筹基金口径）' : '（基本医疗保险含生育保险）');
      }
    }
  }
  const m = (indicator: string) => macro.find((x) => x.indicator === indicator);
  const cpi = m('cpi_yoy_change');
  if (cpi) add(cpi.year, 'cpi_growth', cpi.value, '公报', cpi.sourceRef);
  const gdp = m('gdp_real_growth');
  if (gdp) add(gdp.year, 'gdp_growth', gdp.value, '公报', gdp.sourceRef);
  const inc = m('per_capita_disposable_income_all');
  const incGrowth = inc ? /nominal \+([\d.]+)%/.exec(inc.note) : null;
  if (inc && incGrowth) add(inc.year, 'disposable_income_growth', Number(incGrowth[1]), '公报', inc.sourceRef, '（名义增长）');
  const op = m('avg_outpatient_cost_per_visit_hospital');
  if (op) {
    add(op.year, 'outpatient_cost_per_visit', op.value, '公报', op.sourceRef, '（医院）');
    const g = /([+-][\d.]+)% nominal/.exec(op.note);
    if (g) add(op.year, 'outpatient_cost_growth', Number(g[1]), '公报', op.sourceRef, '（医院，名义）');
  }
  const ip = m('avg_inpatient_cost_per_stay_hospital');
  if (ip) {
    add(ip.year, 'inpatient_cost_per_stay', ip.value, '公报', ip.sourceRef, '（医院）');
    const g = /([+-][\d.]+)% nominal/.exec(ip.note);
    if (g) add(ip.year, 'inpatient_cost_growth', Number(g[1]), '公报', ip.sourceRef, '（医院，名义）');
  }
  return rows;
}

/** Generated national rows for every (indicator, year) without a real figure. */
export function nationalGeneratedIndicators(real: IndicatorRow[], rng: Rng): IndicatorRow[] {
  const r = rng.fork('indicators:national');
  const have = new Set(real.map((x) => `${x.indicator}:${x.period}`));
  const realValue = (code: string, year: number) => {
    const rows = real.filter((x) => x.indicator === code && x.period === String(year));
    return (rows.find((x) => x.releaseType === '公报') ?? rows[0])?.value;
  };
  const values: Record<string, number[]> = {
    medical_total_cost_growth: [12.2, 5.9, 9.6, 7.9, 6.8],
    medical_revenue_growth: [14.5, 4.8, 10.8, 6.9, 5.6],
    gdp_growth: [8.4, 3.0, 5.2, 5.0, 5.0],
    cpi_growth: [0.9, 2.0, 0.2, 0.2, 0.0],
    cpi_target: [3, 3, 3, 3, 2],
    cost_growth_target: [5, 5, 5, 5, 5],
    disposable_income_growth: [9.1, 5.0, 6.3, 5.3, 5.2],
    avg_wage_growth: [9.7, 6.7, 5.8, 4.5, 4.4],
    drug_revenue_share: [29.5, 28.6, 27.9, 27.1, 26.4],
    consumable_revenue_share: [12.8, 12.4, 12.0, 11.6, 11.3],
    exam_revenue_share: [11.2, 11.1, 10.9, 10.8, 10.6],
    lab_revenue_share: [9.6, 9.8, 9.4, 9.2, 9.0],
    service_revenue_share: [31.0, 32.0, 33.6, 35.1, 36.6],
    procurement_savings: [620, 810, 960, 1050, 1120].map((x) => x * r.range(0.95, 1.05)),
    salary_policy_change: [0, 0, 0, 0, 0],
    major_public_event: [0, 1, 0, 0, 0],
  };
  // Cost per case: consistent with the real 2023 hospital figures.
  const op23 = realValue('outpatient_cost_per_visit', 2023) ?? 361.6;
  const opG23 = realValue('outpatient_cost_growth', 2023) ?? 5.5;
  const ip23 = realValue('inpatient_cost_per_stay', 2023) ?? 10315.8;
  const ipG23 = realValue('inpatient_cost_growth', 2023) ?? -5.0;
  const op22 = op23 / (1 + opG23 / 100);
  const ip22 = ip23 / (1 + ipG23 / 100);
  values['outpatient_cost_per_visit'] = [op22 / 1.021, op22, op23, op23 * 1.018, op23 * 1.018 * 1.012];
  values['outpatient_cost_growth'] = [3.4, 2.1, opG23, 1.8, 1.2];
  values['inpatient_cost_per_stay'] = [ip22 / 1.012, ip22, ip23, ip23 * 0.985, ip23 * 0.985 * 1.004];
  values['inpatient_cost_growth'] = [2.5, 1.2, ipG23, -1.5, 0.4];
  // Fund figures for the years the bulletins do not cover.
  const inc22 = realValue('fund_income', 2022) ?? 30922.17;
  const exp22 = realValue('fund_expenditure', 2022) ?? 24597.24;
  const acc22 = realValue('fund_accumulated_balance', 2022) ?? 42639.89;
  const inc23 = realValue('fund_income', 2023) ?? 33501.36;
  const exp23 = realValue('fund_expenditure', 2023) ?? 28208.38;
  const inc24 = realValue('fund_income', 2024) ?? 34913.37;
  const exp24 = realValue('fund_expenditure', 2024) ?? 29764.03;
  const inc21 = inc22 / 1.073;
  const exp21 = exp22 / 1.021;
  const inc25 = inc24 * 1.045;
  const exp25 = exp24 * 1.06;
  values['fund_income'] = [inc21, inc22, inc23, inc24, inc25];
  values['fund_expenditure'] = [exp21, exp22, exp23, exp24, exp25];
  values['fund_current_balance'] = [inc21 - exp21, inc22 - exp22, inc23 - exp23, inc24 - exp24, inc25 - exp25];
  const acc23 = acc22 + inc23 - exp23;
  values['fund_accumulated_balance'] = [acc22 - (inc22 - exp22), acc22, acc23, acc23 + inc24 - exp24, acc23 + inc24 - exp24 + inc25 - exp25];

  const rows: IndicatorRow[] = [];
  for (const { code, unit } of INDICATORS) {
    const v = values[code];
    if (!v) continue;
    YEARS.forEach((year, i) => {
      if (have.has(`${code}:${year}`)) return;
      const raw = v[i] as number;
      rows.push({
        regionCode: NATIONAL_CODE,
        regionName: '全国',
        period: String(year),
        indicator: code,
        value: unit === '亿元' ? r2(raw) : r1(raw),
        unit,
        source: GENERATED_SOURCE,
        releaseType: year === 2025 ? '快报' : '统计年鉴',
        nature: '生成',
      });
    });
  }
  return rows;
}
