// Generated medical institutions: plausible names, hospital levels, public / non-public, 12-character codes
// (`H` + region code + 5-digit serial).
import type { Region } from './regions';
import { Rng } from './random';

export type Level = 1 | 2 | 3;
export const LEVEL_NAMES: Record<Level, string> = { 3: '三级', 2: '二级', 1: '一级' };

export type InstitutionType = '综合医院' | '中医医院' | '妇幼保健院' | '专科医院' | '社区卫生服务中心' | '乡镇卫生院';

export interface Institution {
  code: string;
  name: string;
  regionCode: string;
  level: Level;
  ownership: '公立' | '非公立';
  type: InstitutionType;
  /** Size relative to an average institution of its level. */
  size: number;
}

const BRANDS = ['仁和', '康华', '博爱', '华康', '瑞康', '惠民', '济民', '安康'];
const STREETS = ['城东', '城西', '城南', '城北', '新华', '建设', '东风', '和平', '文化', '胜利', '向阳', '长江'];
const TOWNS = ['新集', '东湖', '南岗', '柳河', '石桥', '青山', '白沙', '龙泉', '桃源', '清水', '杨柳', '高桥'];

interface Draft {
  name: string;
  level: Level;
  ownership: '公立' | '非公立';
  type: InstitutionType;
}

function cityDrafts(region: Region, r: Rng): Draft[] {
  const city = region.name;
  const places = r.shuffle(region.places);
  const n3 = region.volumeFactor >= 1.3 ? 3 : 2;
  const drafts: Draft[] = [
    { name: `${city}第一人民医院`, level: 3, ownership: '公立', type: '综合医院' },
    { name: `${city}中医医院`, level: 3, ownership: '公立', type: '中医医院' },
  ];
  if (n3 === 3) drafts.push({ name: `${city}中心医院`, level: 3, ownership: '公立', type: '综合医院' });
  const n2 = r.int(4, 5);
  drafts.push({ name: `${city}妇幼保健院`, level: 2, ownership: '公立', type: '妇幼保健院' });
  drafts.push({ name: `${city}第二人民医院`, level: 2, ownership: '公立', type: '综合医院' });
  drafts.push({ name: `${places[0]}人民医院`, level: 2, ownership: '公立', type: '综合医院' });
  drafts.push({ name: `${city}${r.pick(BRANDS)}医院`, level: 2, ownership: '非公立', type: '综合医院' });
  if (n2 === 5) drafts.push({ name: `${places[1]}中医医院`, level: 2, ownership: '公立', type: '中医医院' });
  const n1 = r.int(4, 6);
  const streets = r.shuffle(STREETS);
  const towns = r.shuffle(TOWNS);
  for (let i = 0; i < n1; i++) {
    const place = places[(i + 2) % places.length] as string;
    if (i === n1 - 1 && r.chance(0.6)) {
      drafts.push({ name: `${place}${r.pick(BRANDS)}门诊医院`, level: 1, ownership: '非公立', type: '综合医院' });
    } else if (i % 2 === 0) {
      drafts.push({ name: `${place}${streets[i]}街道社区卫生服务中心`, level: 1, ownership: '公立', type: '社区卫生服务中心' });
    } else {
      drafts.push({ name: `${place}${towns[i]}镇卫生院`, level: 1, ownership: '公立', type: '乡镇卫生院' });
    }
  }
  return drafts;
}

function provinceDrafts(region: Region, r: Rng): Draft[] {
  const prov = region.name;
  const cities = r.shuffle(region.places);
  const drafts: Draft[] = [
    { name: `${prov}人民医院`, level: 3, ownership: '公立', type: '综合医院' },
    { name: `${prov}中医医院`, level: 3, ownership: '公立', type: '中医医院' },
    { name: `${prov}妇幼保健院`, level: 3, ownership: '公立', type: '妇幼保健院' },
  ];
  const n3 = r.int(2, 3);
  for (let i = 0; i < n3; i++) drafts.push({ name: `${cities[i]}中心医院`, level: 3, ownership: '公立', type: '综合医院' });
  const n2 = r.int(8, 11);
  for (let i = 0; i < n2; i++) {
    const city = cities[(i + n3) % cities.length] as string;
    const kind = i % 4;
    if (kind === 3) drafts.push({ name: `${city}中医医院`, level: 2, ownership: '公立', type: '中医医院' });
    else if (kind === 2) drafts.push({ name: `${city}第二人民医院`, level: 2, ownership: '公立', type: '综合医院' });
    else drafts.push({ name: `${city}${r.pick(['第三人民医院', '人民医院', '中西医结合医院'])}`, level: 2, ownership: '公立', type: '综合医院' });
  }
  drafts.push({ name: `${cities[1]}${r.pick(BRANDS)}医院`, level: 2, ownership: '非公立', type: '综合医院' });
  const n1 = r.int(8, 11);
  for (let i = 0; i < n1; i++) {
    const city = cities[(i + 2) % cities.length] as string;
    if (i % 2 === 0) drafts.push({ name: `${city}${STREETS[i % STREETS.length]}街道社区卫生服务中心`, level: 1, ownership: '公立', type: '社区卫生服务中心' });
    else drafts.push({ name: `${city}${TOWNS[i % TOWNS.length]}镇卫生院`, level: 1, ownership: '公立', type: '乡镇卫生院' });
  }
  drafts.push({ name: `${cities[2]}${r.pick(BRANDS)}门诊医院`, level: 1, ownership: '非公立', type: '综合医院' });
  return drafts;
}

export function institutionCode(regionCode: string, serial: number): string {
  return `H${regionCode}${String(serial).padStart(5, '0')}`;
}

export function buildInstitutions(region: Region, rng: Rng): Institution[] {
  const r = rng.fork('institutions:' + region.code);
  const drafts = region.kind === 'city' ? cityDrafts(region, r) : provinceDrafts(region, r);
  const seen = new Set<string>();
  return drafts.map((d, i) => {
    let name = d.name;
    for (let k = 2; seen.has(name); k++) name = d.name.replace(/(医院|中心|卫生院)$/, `${k}$1`);
    seen.add(name);
    const sizeBase = d.level === 3 ? r.range(0.75, 1.45) : r.range(0.7, 1.3);
    return {
      code: institutionCode(region.code, i + 1),
      name,
      regionCode: region.code,
      level: d.level,
      ownership: d.ownership,
      type: d.type,
      size: d.ownership === '非公立' ? sizeBase * 0.45 : sizeBase,
    };
  });
}
