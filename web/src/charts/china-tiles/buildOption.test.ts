import { describe, expect, it } from 'vitest';
import { buildChinaTilesOption, emWidth, type ChinaTilesInput, type PilotRegion, type TileDatum } from './buildOption';
import { PROVINCE_TILES, provinceOf } from './tiles';

const LABELS: ChinaTilesInput['labels'] = {
  pilotSeries: '有改革试点的省份',
  otherSeries: '其他省份',
  pilotProvince: '试点省份（2024年起）',
  pilotCities: '试点城市（2021年起）',
  noPilot: '无改革试点',
  outsideData: '不在本系统数据范围内',
  listSeparator: '、',
};

/** The eight pilots of the demo dataset, as GET /api/regions?pilot=true returns them. */
const PILOTS: PilotRegion[] = [
  { code: '130200', name: '唐山市', pilot: 'city_2021' },
  { code: '150000', name: '内蒙古自治区', pilot: 'province_2024' },
  { code: '320500', name: '苏州市', pilot: 'city_2021' },
  { code: '330000', name: '浙江省', pilot: 'province_2024' },
  { code: '350200', name: '厦门市', pilot: 'city_2021' },
  { code: '360700', name: '赣州市', pilot: 'city_2021' },
  { code: '510000', name: '四川省', pilot: 'province_2024' },
  { code: '511100', name: '乐山市', pilot: 'city_2021' },
];

const tiles = PROVINCE_TILES.map((t) => ({ ...t, name: t.zh }));

function series(option: ReturnType<typeof buildChinaTilesOption>, id: string): TileDatum[] {
  const s = (option.series as { id: string; data: TileDatum[] }[]).find((x) => x.id === id);
  if (!s) throw new Error(`no series ${id}`);
  return s.data;
}

describe('tile grid of China', () => {
  it('has one tile per province of the mainland (31, in the data) plus 台湾, 香港 and 澳门, each on its own cell', () => {
    expect(PROVINCE_TILES.filter((t) => t.inData)).toHaveLength(31);
    expect(PROVINCE_TILES.filter((t) => !t.inData).map((t) => t.zh).sort()).toEqual(['台湾', '澳门', '香港'].sort());
    const cells = new Set(PROVINCE_TILES.map((t) => `${t.col},${t.row}`));
    expect(cells.size).toBe(PROVINCE_TILES.length);
    expect(new Set(PROVINCE_TILES.map((t) => t.code)).size).toBe(PROVINCE_TILES.length);
    for (const t of PROVINCE_TILES) expect(t.code).toMatch(/^[1-8][0-9]0000$/);
  });

  it('keeps neighbours next to each other', () => {
    const at = (zh: string) => PROVINCE_TILES.find((t) => t.zh === zh)!;
    expect(at('黑龙江').row).toBeLessThan(at('吉林').row);
    expect(at('新疆').col).toBe(0);
    expect(at('上海').col).toBeGreaterThan(at('江苏').col);
    expect(at('海南').row).toBeGreaterThan(at('广东').row);
    expect(provinceOf('511100')).toBe('510000');
  });
});

describe('buildChinaTilesOption', () => {
  it('highlights exactly the pilot provinces and the provinces of the pilot cities', () => {
    const option = buildChinaTilesOption({ tiles, pilots: PILOTS, labels: LABELS });
    const highlighted = series(option, 'pilot').map((d) => d.code).sort();
    expect(highlighted).toEqual(['130000', '150000', '320000', '330000', '350000', '360000', '510000']);
    const other = series(option, 'other');
    expect(other).toHaveLength(PROVINCE_TILES.length - 7);
    expect(other.map((d) => d.code)).not.toContain('510000');
  });

  it('lists the pilots of a province in its tooltip: 四川 is a pilot province with the pilot city 乐山', () => {
    const option = buildChinaTilesOption({ tiles, pilots: PILOTS, labels: LABELS });
    const sichuan = series(option, 'pilot').find((d) => d.code === '510000')!;
    expect(sichuan.tip).toEqual(['四川', '试点省份（2024年起）：四川省', '试点城市（2021年起）：乐山市']);
    const hebei = series(option, 'pilot').find((d) => d.code === '130000')!;
    expect(hebei.tip).toEqual(['河北', '试点城市（2021年起）：唐山市']);
    const hunan = series(option, 'other').find((d) => d.code === '430000')!;
    expect(hunan.tip).toEqual(['湖南', '无改革试点']);
    const taiwan = series(option, 'other').find((d) => d.code === '710000')!;
    expect(taiwan).toMatchObject({ inData: false, tip: ['台湾', '不在本系统数据范围内'] });
    const formatter = (option.tooltip as { formatter: (p: { data: TileDatum }) => string }).formatter;
    expect(formatter({ data: sichuan })).toBe('四川<br/>试点省份（2024年起）：四川省<br/>试点城市（2021年起）：乐山市');
  });

  it('places each tile on its grid cell and outlines the province of the chosen region', () => {
    const option = buildChinaTilesOption({ tiles, pilots: PILOTS, selected: '511100', labels: LABELS });
    const all = [...series(option, 'pilot'), ...series(option, 'other')];
    expect(all.filter((d) => d.selected).map((d) => d.code)).toEqual(['510000']);
    const sichuanTile = PROVINCE_TILES.find((t) => t.code === '510000')!;
    expect(all.find((d) => d.code === '510000')!.value).toEqual([sichuanTile.col, sichuanTile.row]);
    expect(option.xAxis).toMatchObject({ min: -0.5, max: 7.5 });
    expect(option.yAxis).toMatchObject({ min: -0.5, max: 8.5, inverse: true });
  });

  it('draws each datum as a tile that fits its cell and is at most a third wider than tall', () => {
    const option = buildChinaTilesOption({ tiles, pilots: PILOTS, selected: '130200', labels: LABELS });
    const s = (option.series as { id: string; renderItem: (p: { dataIndex: number }, api: unknown) => { shape: { width: number; height: number }; style: { lineWidth: number }; textContent: { style: { text: string } } } }[])[0]!;
    const data = series(option, 'pilot');
    const i = data.findIndex((d) => d.code === '130000');
    const api = { value: (dim: number) => data[i]!.value[dim]!, coord: ([x, y]: [number, number]) => [x * 80, y * 50], size: () => [80, 50] };
    const el = s.renderItem({ dataIndex: i }, api);
    expect(el.shape.height).toBe(45);
    expect(el.shape.width).toBeCloseTo(60.75, 9);
    const narrow = s.renderItem({ dataIndex: i }, { ...api, size: () => [40, 50] });
    expect(narrow.shape.height).toBe(36);
    expect(narrow.shape.width).toBeCloseTo(36.8, 9);
    expect(el.textContent.style.text).toBe('河北');
    const en = buildChinaTilesOption({ tiles: PROVINCE_TILES.map((t) => ({ ...t, name: t.en, label: t.enShort ?? t.en })), pilots: PILOTS, labels: LABELS });
    const imData = series(en, 'pilot');
    const im = imData.findIndex((d) => d.code === '150000');
    expect(imData[im]).toMatchObject({ name: 'Inner Mongolia', label: 'Inner Mong.', tip: ['Inner Mongolia', '试点省份（2024年起）：内蒙古自治区'] });
    const enItem = (en.series as typeof s[])[0]!.renderItem({ dataIndex: im }, { ...api, value: (dim: number) => imData[im]!.value[dim]! }) as unknown as { textContent: { style: { text: string; fontSize: number } } };
    expect(enItem.textContent.style.text).toBe('Inner Mong.');
    expect(enItem.textContent.style.fontSize).toBeLessThan(12);
    expect(emWidth('四川')).toBe(2);
    expect(el.style.lineWidth).toBe(3);
  });

  it('without pilots highlights nothing', () => {
    const option = buildChinaTilesOption({ tiles, pilots: [], labels: LABELS });
    expect(series(option, 'pilot')).toEqual([]);
    expect(series(option, 'other')).toHaveLength(PROVINCE_TILES.length);
  });
});
