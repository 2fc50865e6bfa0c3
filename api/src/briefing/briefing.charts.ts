/**
 * The briefing's charts as SVG, drawn on the server by ECharts' SSR renderer from the same option builders as the
 * web pages (web/src/charts/<name>/buildOption.ts): the 调价总量 waterfall and the raises, cuts and net by category
 * and by hospital level. The PDF draws these SVGs as vectors (svg-to-pdfkit); no raster image is made.
 */
import * as echarts from 'echarts';
import { buildImpactGroupsOption, type GroupRow } from '../../../web/src/charts/impact-groups/buildOption';
import { buildTotalWaterfallOption, type StepRow } from '../../../web/src/charts/total-waterfall/buildOption';
import { LEVEL_ZH } from './briefing.content';
import type { BriefingData } from './briefing.schemas';
import type { HospitalLevel } from '../domain/reference';

export interface ChartSvg {
  svg: string;
  width: number;
  height: number;
}

export interface BriefingCharts {
  waterfall: ChartSvg | null;
  byCategory: ChartSvg | null;
  byLevel: ChartSvg | null;
}

/** Renders an ECharts option to an SVG string of width × height px, without animation, in the PDF's font. */
export function renderSvg(option: object, width: number, height: number): ChartSvg {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false, textStyle: { fontFamily: 'Source Han Sans SC' } });
    return { svg: chart.renderToSVGString(), width, height };
  } finally {
    chart.dispose();
  }
}

const GROUP_LABELS = { up: '上调', down: '下调', net: '净额', unit: '万元' };

export function briefingCharts(d: Pick<BriefingData, 'impact' | 'total'>): BriefingCharts {
  const s = d.impact.summary;
  const steps: StepRow[] | null = d.total ? d.total.steps.map((x) => ({ key: x.key, kind: x.kind, labelZh: x.labelZh, amountFen: x.amountFen, enabled: x.enabled })) : null;
  const categories: GroupRow[] = s.byCategory.filter((g) => g.changedCount > 0);
  const levels: GroupRow[] = s.byLevel.filter((g) => g.rowCount > 0).map((g) => ({ ...g, labelZh: LEVEL_ZH[Number(g.key) as HospitalLevel] ?? g.labelZh }));
  return {
    waterfall: steps ? renderSvg(buildTotalWaterfallOption(steps, '万元'), 680, 300) : null,
    byCategory: categories.length ? renderSvg(buildImpactGroupsOption(categories, GROUP_LABELS), 680, 300) : null,
    byLevel: levels.length ? renderSvg(buildImpactGroupsOption(levels, GROUP_LABELS), 680, 240) : null,
  };
}
