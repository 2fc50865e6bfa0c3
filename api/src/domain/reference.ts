/**
 * Reference vocabularies shared by the schema seed, the ETL, the API and the web app.
 * One English name per Chinese term (docs/glossary.md).
 */

export type CategoryFamily = 'labour' | 'equipment' | 'mixed';

export interface Category {
  code: string;
  name_zh: string;
  name_en: string;
  family: CategoryFamily;
}

/** Service categories. Order = display order. The family drives the 有升有降 direction of a round. */
export const CATEGORIES: readonly Category[] = [
  { code: 'general', name_zh: '综合医疗服务', name_en: 'General medical services', family: 'labour' },
  { code: 'nursing', name_zh: '护理', name_en: 'Nursing', family: 'labour' },
  { code: 'clinical', name_zh: '临床诊疗', name_en: 'Clinical diagnosis and treatment', family: 'mixed' },
  { code: 'surgery', name_zh: '手术治疗', name_en: 'Surgery', family: 'labour' },
  { code: 'interventional', name_zh: '介入治疗', name_en: 'Interventional treatment', family: 'mixed' },
  { code: 'rehab', name_zh: '物理治疗与康复', name_en: 'Physiotherapy and rehabilitation', family: 'labour' },
  { code: 'tcm', name_zh: '中医及民族医诊疗', name_en: 'Traditional Chinese medicine', family: 'labour' },
  { code: 'imaging', name_zh: '医学影像', name_en: 'Medical imaging', family: 'equipment' },
  { code: 'ultrasound', name_zh: '超声检查', name_en: 'Ultrasound', family: 'equipment' },
  { code: 'nuclear', name_zh: '核医学', name_en: 'Nuclear medicine', family: 'equipment' },
  { code: 'radiotherapy', name_zh: '放射治疗', name_en: 'Radiotherapy', family: 'equipment' },
  { code: 'lab', name_zh: '检验', name_en: 'Laboratory tests', family: 'equipment' },
  { code: 'blood', name_zh: '血型与配血', name_en: 'Blood typing and matching', family: 'equipment' },
  { code: 'pathology', name_zh: '病理检查', name_en: 'Pathology', family: 'equipment' },
];

/** Categories whose revenue counts as 检查 or 化验, outside 医疗服务收入 in the 医疗服务收入占比 indicator. */
export const EXAM_LAB_CATEGORIES: ReadonlySet<string> = new Set(['imaging', 'ultrasound', 'nuclear', 'pathology', 'lab', 'blood']);

/**
 * Category of a legacy (2001 national catalogue, 9-digit) code by its prefix, e.g. 220301001 → ultrasound.
 * Nursing (1201…) is split out of 综合医疗服务 because rounds treat it as its own labour category.
 */
export function categoryOfLegacyCode(code: string): string | null {
  if (!/^[0-9]/.test(code)) return null;
  if (code.startsWith('1201')) return 'nursing';
  if (code.startsWith('1')) return 'general';
  const two = code.slice(0, 2);
  const byTwo: Record<string, string> = {
    '21': 'imaging', '22': 'ultrasound', '23': 'nuclear', '24': 'radiotherapy', '25': 'lab', '26': 'blood',
    '27': 'pathology', '31': 'clinical', '32': 'interventional', '33': 'surgery', '34': 'rehab',
  };
  if (byTwo[two]) return byTwo[two];
  if (code.startsWith('4')) return 'tcm';
  return null;
}

export type IndicatorKind = 'rate' | 'amount' | 'count' | 'share' | 'flag' | 'index';

export interface IndicatorDef {
  code: string;
  name_zh: string;
  name_en: string;
  unit: string;
  kind: IndicatorKind;
  description: string | null;
}

/** The indicator catalogue of DOMAIN.md §3. Rates and shares are in percent (11.0 means 11%). */
export const INDICATORS: readonly IndicatorDef[] = [
  { code: 'medical_total_cost_growth', name_zh: '医药总费用增长率', name_en: 'Growth of total medical spending', unit: '%', kind: 'rate', description: null },
  { code: 'outpatient_cost_per_visit', name_zh: '门诊次均费用', name_en: 'Average cost per outpatient visit', unit: '元', kind: 'amount', description: null },
  { code: 'outpatient_cost_growth', name_zh: '门诊次均费用增长率', name_en: 'Growth of cost per outpatient visit', unit: '%', kind: 'rate', description: null },
  { code: 'inpatient_cost_per_stay', name_zh: '住院次均费用', name_en: 'Average cost per inpatient stay', unit: '元', kind: 'amount', description: null },
  { code: 'inpatient_cost_growth', name_zh: '住院次均费用增长率', name_en: 'Growth of cost per inpatient stay', unit: '%', kind: 'rate', description: null },
  { code: 'medical_revenue_growth', name_zh: '医疗收入增长率', name_en: 'Growth of medical revenue', unit: '%', kind: 'rate', description: null },
  { code: 'gdp_growth', name_zh: 'GDP增长率', name_en: 'GDP growth', unit: '%', kind: 'rate', description: null },
  { code: 'cpi_growth', name_zh: 'CPI涨幅', name_en: 'CPI growth', unit: '%', kind: 'rate', description: null },
  { code: 'cpi_target', name_zh: 'CPI调控目标', name_en: 'CPI control target', unit: '%', kind: 'rate', description: null },
  { code: 'cost_growth_target', name_zh: '次均费用增长控制目标', name_en: 'Target growth of cost per visit/stay', unit: '%', kind: 'rate', description: null },
  { code: 'disposable_income_growth', name_zh: '居民人均可支配收入增长率', name_en: 'Growth of disposable income per capita', unit: '%', kind: 'rate', description: null },
  { code: 'avg_wage_growth', name_zh: '城镇单位就业人员平均工资增长率', name_en: 'Growth of the average urban wage', unit: '%', kind: 'rate', description: null },
  { code: 'fund_income', name_zh: '医保基金收入', name_en: 'Insurance fund income', unit: '亿元', kind: 'amount', description: null },
  { code: 'fund_expenditure', name_zh: '医保基金支出', name_en: 'Insurance fund spending', unit: '亿元', kind: 'amount', description: null },
  { code: 'fund_current_balance', name_zh: '医保基金当期结余', name_en: 'Insurance fund current-year balance', unit: '亿元', kind: 'amount', description: null },
  { code: 'fund_accumulated_balance', name_zh: '医保基金累计结余', name_en: 'Insurance fund accumulated balance', unit: '亿元', kind: 'amount', description: null },
  { code: 'fund_reserve_months', name_zh: '累计结余可支付月数', name_en: 'Months of spending covered by the accumulated balance', unit: '月', kind: 'index', description: 'accumulated balance ÷ average monthly spending' },
  { code: 'drug_revenue_share', name_zh: '药品收入占比', name_en: 'Share of drug revenue', unit: '%', kind: 'share', description: null },
  { code: 'consumable_revenue_share', name_zh: '耗材收入占比', name_en: 'Share of consumables revenue', unit: '%', kind: 'share', description: null },
  { code: 'exam_revenue_share', name_zh: '检查收入占比', name_en: 'Share of examination revenue', unit: '%', kind: 'share', description: null },
  { code: 'lab_revenue_share', name_zh: '化验收入占比', name_en: 'Share of laboratory revenue', unit: '%', kind: 'share', description: null },
  { code: 'service_revenue_share', name_zh: '医疗服务收入占比', name_en: 'Share of medical service revenue', unit: '%', kind: 'share', description: 'service revenue excluding drugs, consumables, exams and lab ÷ medical revenue' },
  { code: 'procurement_savings', name_zh: '集采节约金额', name_en: 'Savings from volume-based procurement', unit: '亿元', kind: 'amount', description: null },
  { code: 'hospital_assessment', name_zh: '公立医院考核结果', name_en: 'Public hospital assessment score', unit: '分', kind: 'index', description: null },
  { code: 'salary_policy_change', name_zh: '薪酬社保政策调整', name_en: 'Salary or social-insurance policy change', unit: '是/否', kind: 'flag', description: '1 = a change with a large cost effect' },
  { code: 'major_public_event', name_zh: '重大突发公共事件', name_en: 'Major disaster or public-health event', unit: '是/否', kind: 'flag', description: '1 = occurred' },
  { code: 'population', name_zh: '常住人口', name_en: 'Resident population', unit: '万人', kind: 'count', description: null },
  { code: 'insured_persons', name_zh: '参保人数', name_en: 'Insured persons', unit: '万人', kind: 'count', description: null },
];

export const HOSPITAL_LEVELS = [3, 2, 1] as const;
export type HospitalLevel = (typeof HOSPITAL_LEVELS)[number];
export const HOSPITAL_LEVEL_LABEL: Record<HospitalLevel, string> = { 3: '三级', 2: '二级', 1: '一级' };
