/**
 * The tile grid map of China (tiles.ts: one square per province, no borders — see there why) with the provinces of
 * the reform pilots highlighted: the pilot provinces themselves and the provinces of the pilot cities. The tooltip
 * of a tile names its pilots (pilot province since 2024, pilot cities since 2021).
 *
 * Two `custom` series on value axes: `pilot` (highlighted) and `other`. Each data item carries the province code,
 * so a test can read the highlighted provinces back from getOption(). Tiles keep their shape whatever the box: each is
 * as tall as its grid cell allows and at most a third wider than tall.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { provinceOf, type ProvinceTile } from './tiles';

export type PilotKind = 'city_2021' | 'province_2024';

export interface PilotRegion {
  code: string;
  name: string;
  pilot: PilotKind;
}

export interface ChinaTilesLabels {
  /** Legend name of the highlighted tiles: "有改革试点的省份". */
  pilotSeries: string;
  /** Legend name of the other tiles: "其他省份". */
  otherSeries: string;
  /** Tooltip line of a pilot province: "试点省份（2024年起）". */
  pilotProvince: string;
  /** Tooltip lead of the pilot cities: "试点城市（2021年起）". */
  pilotCities: string;
  /** Tooltip of a province without a pilot: "无改革试点". */
  noPilot: string;
  /** Tooltip of a tile outside the data (台湾, 香港, 澳门): "不在本系统数据范围内". */
  outsideData: string;
  /** Separator of names in a list: "、" or ", ". */
  listSeparator: string;
}

export interface ChinaTilesInput {
  /** The tiles with their name in the user's language (tooltip) and, when shorter, the label written on the tile. */
  tiles: readonly (Pick<ProvinceTile, 'code' | 'col' | 'row' | 'inData'> & { name: string; label?: string })[];
  pilots: readonly PilotRegion[];
  /** The chosen region (a province or a city): its province tile is outlined. */
  selected?: string | null;
  labels: ChinaTilesLabels;
}

export interface TileDatum {
  name: string;
  /** Written on the tile. */
  label: string;
  /** [col, row] */
  value: [number, number];
  code: string;
  selected: boolean;
  inData: boolean;
  /** Tooltip lines (plain text). */
  tip: string[];
}

export const TILE_COLORS = {
  pilot: '#1f4e79',
  pilotText: '#ffffff',
  other: '#dde5ee',
  otherText: '#3a4a5c',
  outside: '#f3f4f6',
  outsideText: '#a0a7b1',
  selected: '#f0c14b',
} as const;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Width of a text in ems: a Chinese character is one em, a Latin letter or space about 0.56. */
export function emWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 1 : 0.56;
  return Math.max(1, w);
}

interface RenderParams {
  dataIndex: number;
}
interface RenderApi {
  value(dim: number): number;
  coord(v: [number, number]): [number, number];
  size(v: [number, number]): [number, number];
}

/** A renderItem drawing each datum as a square with its name, filled with the series' colours. */
function renderTiles(items: readonly TileDatum[], fill: (d: TileDatum) => string, text: (d: TileDatum) => string) {
  return (params: RenderParams, api: RenderApi) => {
    const d = items[params.dataIndex] as TileDatum;
    const [x, y] = api.coord([api.value(0), api.value(1)]);
    const [w, h] = api.size([1, 1]);
    // a square of the cell's height, widened up to a third where the cells are wider than tall (a wide box)
    const side = Math.max(4, Math.min(w, h) * 0.9);
    const width = Math.max(4, Math.min(w * 0.92, side * 1.35));
    // the label's size: a quarter of the tile's height at most, smaller for a long (English) name, 8px at least
    const fontSize = Math.max(8, Math.min(14, Math.round(side / 3.6), Math.floor((width - 6) / emWidth(d.label))));
    return {
      type: 'rect',
      shape: { x: x - width / 2, y: y - side / 2, width, height: side, r: 3 },
      style: {
        fill: fill(d),
        stroke: d.selected ? TILE_COLORS.selected : d.inData ? 'rgba(255,255,255,0.9)' : '#d5d9df',
        lineWidth: d.selected ? 3 : 1,
        lineDash: d.inData ? undefined : [3, 2],
      },
      textContent: { style: { text: d.label, fill: text(d), fontSize, fontWeight: d.selected ? 'bold' : 'normal', overflow: 'truncate', width: width - 4 } },
      textConfig: { position: 'inside' },
    };
  };
}

export function buildChinaTilesOption(input: ChinaTilesInput): EChartsCoreOption {
  const { labels } = input;
  const selectedProvince = input.selected ? provinceOf(input.selected) : null;
  const byProvince = new Map<string, PilotRegion[]>();
  for (const p of input.pilots) {
    const k = provinceOf(p.code);
    byProvince.set(k, [...(byProvince.get(k) ?? []), p]);
  }
  const pilot: TileDatum[] = [];
  const other: TileDatum[] = [];
  for (const tile of input.tiles) {
    const pilots = byProvince.get(tile.code) ?? [];
    const cities = pilots.filter((p) => p.pilot === 'city_2021').map((p) => p.name);
    const province = pilots.find((p) => p.pilot === 'province_2024');
    const tip = [tile.name];
    if (!tile.inData) tip.push(labels.outsideData);
    else if (pilots.length === 0) tip.push(labels.noPilot);
    else {
      if (province) tip.push(`${labels.pilotProvince}：${province.name}`);
      if (cities.length) tip.push(`${labels.pilotCities}：${cities.join(labels.listSeparator)}`);
    }
    const datum: TileDatum = { name: tile.name, label: tile.label ?? tile.name, value: [tile.col, tile.row], code: tile.code, selected: tile.code === selectedProvince, inData: tile.inData, tip };
    (pilots.length > 0 && tile.inData ? pilot : other).push(datum);
  }
  const cols = Math.max(0, ...input.tiles.map((t) => t.col)) + 1;
  const rows = Math.max(0, ...input.tiles.map((t) => t.row)) + 1;
  const axis = { show: false, type: 'value' as const };
  return {
    animation: false,
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: false },
    xAxis: { ...axis, min: -0.5, max: cols - 0.5 },
    yAxis: { ...axis, min: -0.5, max: rows - 0.5, inverse: true },
    legend: {
      top: 4,
      left: 'center',
      itemGap: 20,
      data: [
        { name: labels.pilotSeries, itemStyle: { color: TILE_COLORS.pilot } },
        { name: labels.otherSeries, itemStyle: { color: TILE_COLORS.other } },
      ],
      selectedMode: false,
    },
    tooltip: {
      trigger: 'item',
      formatter: (p: { data?: TileDatum }) => (p.data ? p.data.tip.map(escapeHtml).join('<br/>') : ''),
    },
    series: [
      {
        id: 'pilot',
        name: labels.pilotSeries,
        type: 'custom',
        coordinateSystem: 'cartesian2d',
        itemStyle: { color: TILE_COLORS.pilot },
        encode: { x: 0, y: 1 },
        renderItem: renderTiles(pilot, () => TILE_COLORS.pilot, () => TILE_COLORS.pilotText),
        data: pilot,
      },
      {
        id: 'other',
        name: labels.otherSeries,
        type: 'custom',
        coordinateSystem: 'cartesian2d',
        itemStyle: { color: TILE_COLORS.other },
        encode: { x: 0, y: 1 },
        renderItem: renderTiles(
          other,
          (d) => (d.inData ? TILE_COLORS.other : TILE_COLORS.outside),
          (d) => (d.inData ? TILE_COLORS.otherText : TILE_COLORS.outsideText),
        ),
        data: other,
      },
    ],
  };
}
