// Price tables: one ladder (三级 ≥ 二级 ≥ 一级, in 分) per item and region, effective 2022-01-01.
import type { Item } from './items';
import type { Region } from './regions';
import { Rng } from './random';
import { nicePrice, yuan } from './money';

export interface Ladder {
  p3: number;
  p2: number;
  p1: number;
}

export const PRICE_TABLE_DATE = '2022-01-01';

/**
 * Ladders fixed by published examples: 江苏 2011 colour Doppler 70/60/50 and transcranial Doppler 60/50/40 (used for
 * 苏州); the 2022 prices of the items whose later cuts follow the 北京 2017 and NHSA 2025 examples (CT 180, MRI 850,
 * PET/CT 10,000, B型钠尿肽 330, 糖化血红蛋白 88).
 */
export const FIXED_LADDERS: Record<string, Record<string, [number, number, number]>> = {
  '130200': { '210300001': [180, 160, 140] },
  '320500': {
    '220301001': [70, 60, 50],
    '220302001': [60, 50, 40],
    '210200001x': [850, 760, 680],
    '230600001': [10000, 10000, 10000],
  },
  '350200': { '250307006': [330, 300, 270] },
  '360700': { '250302003': [88, 80, 72] },
};

export function buildPriceTable(region: Region, items: Item[], rng: Rng): Map<string, Ladder> {
  const r = rng.fork('prices:' + region.code);
  const fixed = FIXED_LADDERS[region.code] ?? {};
  const out = new Map<string, Ladder>();
  for (const it of items) {
    const f = fixed[it.code];
    if (f) {
      out.set(it.code, { p3: yuan(f[0]), p2: yuan(f[1]), p1: yuan(f[2]) });
      continue;
    }
    const p3 = nicePrice(it.basePrice * region.priceFactor * r.spread(0.07));
    if (it.flat) {
      out.set(it.code, { p3, p2: p3, p1: p3 });
      continue;
    }
    const p2 = Math.min(p3, nicePrice(p3 * (1 - r.range(0.1, 0.2))));
    const p1 = Math.min(p2, nicePrice(p2 * (1 - r.range(0.1, 0.2))));
    out.set(it.code, { p3, p2, p1 });
  }
  return out;
}

/** Free-text columns of a price-table row (项目内涵, 除外内容, 计价说明). */
export function itemTexts(it: Item): { content: string; exclusion: string; note: string } {
  let content = it.content ?? '';
  let exclusion = '';
  let note = it.note ?? '';
  if (it.kind === 'img' && it.unit === '部位') note = note || '每增加一个部位按前一个部位50%收费';
  if (it.kind === 'img' && /增强/.test(it.name)) exclusion = '造影剂';
  if (it.kind === 'surg') exclusion = '特殊缝线、吻合器、一次性植入材料';
  if (it.kind === 'intv') exclusion = '导管、导丝、支架、球囊';
  if (it.kind === 'lab' && /（.+法）$/.test(it.name)) note = note || '同一标本采用不同方法检测同一项目的，只收一次';
  if (it.code === '120100002') content = '指病情危重，需随时观察、实施抢救的患者；含病情观察、监测、基础护理、护理记录';
  if (it.code === '120100016x') note = '患者自愿选择，由医疗机构提供全天候生活照护，不得另收陪护费';
  if (it.code === '130700002x') note = '医务人员上门提供服务时收取，具体诊疗项目另计';
  if (it.code === '220800002x') note = '在病房床旁开展超声检查时加收';
  if (it.code === '210500001x') note = '影像检查应尽义务；不能提供数字影像处理和上传存储服务的，相应降低检查收费标准';
  if (it.unit === '胎/次') note = note || '多胎按胎次计价';
  return { content, exclusion, note };
}
