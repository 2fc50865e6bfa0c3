// Two guideline batches in the shape of the national 立项指南 (附件1) and their 映射关系表 (附件2). The item names
// follow NHSA 2025 (特级护理, 免陪照护服务, 上门服务费, 安宁疗护, 早产儿护理, 新生儿护理; 常规针法 merging 舌针, 鼻针, 腹针,
// 腕踝针, 手针, 面针, 口针); service contents and notes are written for the demo, not copied from the official text.
import type { Item } from './items';

export interface GuidelineItem {
  name: string;
  output: string;
  composition: string;
  addOns: string;
  extensions: string;
  unit: string;
  note: string;
}

export interface GuidelineBatch {
  slug: string;
  title: string;
  /** Publication month written in the title rows, and the ISO date passed as the batch date. */
  dateText: string;
  date: string;
  items: GuidelineItem[];
  usage: string;
}

export type MappingType = '主项目' | '加收项' | '扩展项';

export interface MappingRow {
  guidelineItem: string;
  type: MappingType;
  /** NHSA 15-digit codes (derived as 00 + legacy code + 0000, the pattern of 003107010010000 常规心电图检查). */
  nhsa: string[];
  spec2023: Array<{ code: string; name: string }>;
  legacy: string[];
}

const NURSING_COMPOSITION = '所定价格涵盖评估、观察、护理操作、健康指导、记录等步骤所需的人力资源和基本物质资源消耗';
const ACU_COMPOSITION = '所定价格涵盖评估、定位、消毒、进针、行针、留针、出针、观察等步骤所需的人力资源和基本物质资源消耗';

export const NURSING_BATCH: GuidelineBatch = {
  slug: 'nursing',
  title: '护理类医疗服务价格项目立项指南（试行）',
  dateText: '2024年8月',
  date: '2024-08-01',
  usage:
    '使用说明：1. 本指南价格项目按服务产出设立，“加收项”“扩展项”随主项目计价；2. 各省可根据本地实际细化计价说明。',
  items: [
    { name: '特级护理费', output: '对病情危重、需随时观察和实施抢救的患者，按特级护理要求提供的护理服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '日', note: '含基础护理、病情观察、生命体征监测、护理记录' },
    { name: 'Ⅰ级护理费', output: '对病情趋向稳定的重症患者或生活部分自理的患者提供的Ⅰ级护理服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '日', note: '' },
    { name: 'Ⅱ级护理费', output: '对病情稳定、生活部分自理的患者提供的Ⅱ级护理服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '日', note: '' },
    { name: 'Ⅲ级护理费', output: '对生活完全自理且病情稳定的患者提供的Ⅲ级护理服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '日', note: '' },
    { name: '新生儿护理费', output: '对新生儿提供的生命体征观察、皮肤脐部护理、喂养指导等护理服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '日', note: '' },
    { name: '早产儿护理费', output: '对早产儿、低出生体重儿提供的保暖、喂养、呼吸监护等专项护理服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '日', note: '与新生儿护理费不同时收取' },
    { name: '精神疾病患者护理费', output: '对精神疾病患者提供的安全防护、行为观察等专项护理服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '日', note: '' },
    { name: '隔离护理费', output: '对需隔离的患者按隔离要求提供的护理服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '严密隔离、保护性隔离', unit: '日', note: '' },
    { name: '气管切开护理费', output: '对气管切开患者提供的切口护理、套管护理等服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '气管切开套管更换', unit: '日', note: '' },
    { name: '吸痰护理费', output: '清除患者呼吸道分泌物的护理服务', composition: NURSING_COMPOSITION, addOns: '经人工气道（加收）', extensions: '', unit: '次', note: '' },
    { name: '导管维护费', output: '对动脉、中心静脉及外周静脉导管进行评估、冲封管、更换敷料等维护服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '日', note: '' },
    { name: '引流管护理费', output: '对各类引流管进行观察、固定、更换引流装置等护理服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '胸腔闭式引流', unit: '日', note: '' },
    { name: '造口护理费', output: '对肠造口、尿路造口等患者提供的造口评估、清洁、更换造口器具等护理服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '日', note: '' },
    { name: '口腔护理费', output: '对不能自理的患者进行的口腔清洁护理', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '次', note: '' },
    { name: '会阴护理费', output: '对患者进行的会阴部清洁护理', composition: NURSING_COMPOSITION, addOns: '', extensions: '肛周护理', unit: '次', note: '' },
    { name: '压力性损伤护理费', output: '对压力性损伤患者提供的评估、创面处理、体位管理等护理服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '日', note: '' },
    { name: '免陪照护服务费', output: '由医疗机构统一提供的、替代家属陪护的全天候生活照护服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '日', note: '患者自愿选择；不与陪护费同时收取' },
    { name: '上门服务费', output: '医务人员到患者居住场所提供医疗护理服务时的上门服务', composition: '所定价格涵盖预约、出行、上门服务及记录等所需的人力资源和基本物质资源消耗', addOns: '', extensions: '', unit: '次', note: '具体诊疗项目另行计价' },
    { name: '安宁疗护费', output: '对终末期患者提供的症状控制、舒适照护、心理与社会支持等安宁疗护服务', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '日', note: '' },
    { name: '护理门诊诊察费', output: '由专科护士在护理门诊提供的评估、指导和护理干预', composition: NURSING_COMPOSITION, addOns: '', extensions: '', unit: '次', note: '' },
  ],
};

export const ACUPUNCTURE_BATCH: GuidelineBatch = {
  slug: 'acupuncture',
  title: '中医针法类医疗服务价格项目立项指南（试行）',
  dateText: '2024年11月',
  date: '2024-11-01',
  usage:
    '使用说明：1. 常规针法整合舌针、鼻针、腹针、腕踝针、手针、面针、口针等项目；2. 同一部位使用多种针法的，按主要针法计价。',
  items: [
    { name: '常规针法费', output: '运用毫针在穴位或特定部位进行针刺治疗，含舌针、鼻针、腹针、腕踝针、手针、面针、口针等针法', composition: ACU_COMPOSITION, addOns: '儿童（加收）', extensions: '', unit: '次', note: '每次治疗不论穴位多少计1次' },
    { name: '温针费', output: '针刺得气后在针柄上加艾炷或艾条温灸的治疗', composition: ACU_COMPOSITION, addOns: '', extensions: '', unit: '次', note: '' },
    { name: '电针费', output: '针刺得气后在针上接通电针仪进行刺激的治疗', composition: ACU_COMPOSITION, addOns: '', extensions: '', unit: '次', note: '' },
    { name: '火针费', output: '将针体烧红后迅速刺入穴位或部位的治疗', composition: ACU_COMPOSITION, addOns: '', extensions: '', unit: '次', note: '' },
    { name: '特殊针法费', output: '使用浮针、芒针、眼针、头皮针等特殊针具或针法的治疗', composition: ACU_COMPOSITION, addOns: '', extensions: '浮针、芒针、眼针、头皮针', unit: '次', note: '' },
    { name: '耳针费', output: '在耳廓穴位进行针刺或埋籽刺激的治疗', composition: ACU_COMPOSITION, addOns: '', extensions: '', unit: '次', note: '' },
    { name: '穴位埋线费', output: '将可吸收线体植入穴位内的治疗', composition: ACU_COMPOSITION, addOns: '', extensions: '', unit: '次', note: '' },
    { name: '埋针治疗费', output: '将皮内针或揿针埋于穴位的治疗', composition: ACU_COMPOSITION, addOns: '', extensions: '', unit: '次', note: '' },
    { name: '刺络放血费', output: '用针具刺破络脉放出少量血液的治疗', composition: ACU_COMPOSITION, addOns: '', extensions: '', unit: '次', note: '' },
    { name: '针刀治疗费', output: '运用针刀对病变部位进行松解、剥离的治疗', composition: ACU_COMPOSITION, addOns: '', extensions: '', unit: '次', note: '' },
    { name: '穴位注射费', output: '将药液注入穴位的治疗', composition: ACU_COMPOSITION, addOns: '', extensions: '', unit: '次', note: '药品另收' },
    { name: '手指点穴费', output: '运用手指点按穴位的治疗', composition: ACU_COMPOSITION, addOns: '', extensions: '', unit: '次', note: '' },
  ],
};

type Spec2023 = Array<{ code: string; name: string }>;

/** 护理类 映射: guideline item, type, 2023 codes, legacy codes. */
const NURSING_MAP: Array<[string, MappingType, Spec2023, string[]]> = [
  ['特级护理费', '主项目', [{ code: 'ACAD0001', name: '特级护理' }], ['120100002']],
  ['Ⅰ级护理费', '主项目', [{ code: 'ACAC0001', name: 'Ⅰ级护理' }], ['120100003']],
  ['Ⅱ级护理费', '主项目', [{ code: 'ACAB0001', name: 'Ⅱ级护理' }], ['120100004']],
  ['Ⅲ级护理费', '主项目', [{ code: 'ACAA0001', name: 'Ⅲ级护理' }], ['120100005']],
  ['新生儿护理费', '主项目', [{ code: 'ACBA0001', name: '新生儿护理' }], ['120100007']],
  ['早产儿护理费', '主项目', [{ code: 'ACBB0001', name: '早产儿护理' }], ['120100008']],
  ['精神疾病患者护理费', '主项目', [{ code: 'ACBC0001', name: '精神病人护理' }], ['120100009']],
  ['隔离护理费', '主项目', [{ code: 'ACBD0001', name: '一般传染病护理' }], ['120100006']],
  ['隔离护理费', '扩展项', [{ code: 'ACBD0002', name: '严密隔离护理' }, { code: 'ACBD0003', name: '保护性隔离护理' }], ['120100006a']],
  ['气管切开护理费', '主项目', [{ code: 'ACBH0001', name: '气管切开护理' }, { code: 'ACBJ0002', name: '气管插管护理' }], ['120100010']],
  ['气管切开护理费', '扩展项', [{ code: 'ACBJ0001', name: '气管切开套管更换' }], []],
  ['吸痰护理费', '主项目', [{ code: 'ABZA0001', name: '经口鼻吸痰' }], ['120100011']],
  ['吸痰护理费', '加收项', [{ code: 'ABZA0002', name: '经气管插管吸痰' }, { code: 'ABZA0003', name: '经气管切开吸痰' }], ['120100011a']],
  ['导管维护费', '主项目', [{ code: 'ACBF0001', name: '动脉导管护理' }, { code: 'ACBF0002', name: '中心静脉导管护理' }, { code: 'ACBF0003', name: '外周静脉导管护理' }], ['120100013']],
  ['引流管护理费', '主项目', [{ code: 'ACBL0001', name: '引流管护理' }], []],
  ['引流管护理费', '扩展项', [{ code: 'ACBL0002', name: '胸腔闭式引流护理' }], []],
  ['造口护理费', '主项目', [{ code: 'ACBN0001', name: '造口护理' }], ['120100012']],
  ['口腔护理费', '主项目', [{ code: 'ACBG0001', name: '口腔护理' }], ['120100014']],
  ['会阴护理费', '主项目', [{ code: 'ACBP0002', name: '会阴擦洗' }], ['120100014']],
  ['会阴护理费', '扩展项', [{ code: 'ACBP0001', name: '肛周护理' }], []],
  ['压力性损伤护理费', '主项目', [{ code: 'ACBQ0001', name: '压力性损伤护理' }], []],
  ['免陪照护服务费', '主项目', [], ['120100016x']],
  ['上门服务费', '主项目', [{ code: 'AAAN0004', name: '护理出诊' }, { code: 'AAAN0008', name: '家庭病床巡诊' }], ['130700002x', '130700001', '130600002']],
  ['安宁疗护费', '主项目', [], ['120100017x']],
  ['护理门诊诊察费', '主项目', [{ code: 'AAAC0001', name: '护理门诊诊察' }], ['110200006x']],
];

/** 针法类 映射 (no 2023 codes: chapter M of the 2023 specification is not in the reference excerpt). */
const ACU_MAP: Array<[string, MappingType, string[]]> = [
  ['常规针法费', '主项目', ['430000001']],
  ['常规针法费', '主项目', ['430000020x', '430000021x', '430000022x', '430000013', '430000023x', '430000024x', '430000025x']],
  ['常规针法费', '加收项', ['430000001a']],
  ['温针费', '主项目', ['430000002']],
  ['电针费', '主项目', ['430000006']],
  ['火针费', '主项目', ['430000012']],
  ['特殊针法费', '主项目', ['430000007']],
  ['特殊针法费', '扩展项', ['430000011', '430000008', '430000009']],
  ['耳针费', '主项目', ['430000010']],
  ['穴位埋线费', '主项目', ['430000015']],
  ['埋针治疗费', '主项目', ['430000014', '430000005']],
  ['刺络放血费', '主项目', ['430000016']],
  ['针刀治疗费', '主项目', ['430000017']],
  ['穴位注射费', '主项目', ['430000018']],
  ['手指点穴费', '主项目', ['430000003']],
];

export function nhsaCode(legacy: string): string | null {
  return /^\d{9}$/.test(legacy) ? `00${legacy}0000` : null;
}

function withNhsa(legacy: string[]): string[] {
  return legacy.map(nhsaCode).filter((c): c is string => c !== null);
}

export function nursingMapping(): MappingRow[] {
  return NURSING_MAP.map(([guidelineItem, type, spec2023, legacy]) => ({ guidelineItem, type, spec2023, legacy, nhsa: withNhsa(legacy) }));
}

export function acupunctureMapping(): MappingRow[] {
  return ACU_MAP.map(([guidelineItem, type, legacy]) => ({ guidelineItem, type, spec2023: [], legacy, nhsa: withNhsa(legacy) }));
}

/** Names of the legacy items for a mapping cell (space separated, in code order). */
export function legacyNames(codes: string[], items: Map<string, Item>): string {
  return codes.map((c) => items.get(c)?.name ?? '').join(' ');
}
