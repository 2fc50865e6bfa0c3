/**
 * The PDF 测算简报 of a round and one scenario: A4 portrait, Chinese text in an embedded subset of Source Han Sans SC
 * (the OTF files of the npm package node-source-han-sans-sc; no system font is read), selectable and searchable; on
 * every page a header with the region, the round, the date and 数据截至, and 第 N 页 / 共 M 页 below.
 *
 * Sections: 一、摘要 · 二、启动条件评估 · 三、调价总量 · 四、方案影响 · 五、调价项目表 · 六、数据来源与假设. Charts are the
 * ECharts SVGs of briefing.charts.ts drawn as vectors (svg-to-pdfkit). Tables put units in their headers and numbers
 * right-aligned; a table that runs over a page repeats its header there and never splits a row.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { amount } from '../../../web/src/format';
import type { ImpactGroup } from '../domain/pricing';
import type { HospitalLevel } from '../domain/reference';
import type { ImpactItemRow } from '../impact/impact.schemas';
import {
  assumptions,
  headlines,
  itemLines,
  largestMoves,
  LEVEL_ZH,
  LEVELS,
  money,
  percent,
  percentFixed,
  rateText,
  ruleLines,
  SEVERITY_ZH,
  STATUS_ZH,
  verdict,
} from './briefing.content';
import type { BriefingCharts, ChartSvg } from './briefing.charts';
import type { BriefingData } from './briefing.schemas';

// ---- fonts: parsed once per process from the npm package's OTF files; laid-out words kept across documents

/**
 * OpenType features off for layout, kerning kept: the CJK font's contextual substitutions (ccmp, locl, calt …) change
 * nothing in Simplified Chinese text and digits but cost most of the time of laying out a long table.
 */
const FEATURES_OFF = Object.fromEntries(
  ['rvrn', 'ltra', 'ltrm', 'frac', 'numr', 'dnom', 'ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs'].map((f) => [f, false]),
);
const RUNS_KEPT = 200_000;

interface GlyphRun {
  glyphs: unknown[];
  positions: Record<string, number>[];
}

/**
 * A fontkit font whose layout of a text (pdfkit lays out word by word) is computed once per process: each document
 * gets its own copy of the glyph positions, which pdfkit scales in place.
 */
function sharedFont(file: string): object {
  const font = fontkit.create(fs.readFileSync(file)) as { layout(text: string, features?: unknown): GlyphRun };
  const runs = new Map<string, GlyphRun>();
  const layout = (text: string, features?: unknown): GlyphRun => {
    if (features !== undefined) return font.layout(text, features);
    let run = runs.get(text);
    if (!run) {
      if (runs.size >= RUNS_KEPT) runs.clear();
      run = font.layout(text, FEATURES_OFF);
      runs.set(text, run);
    }
    const copy = Object.create(Object.getPrototypeOf(run) as object) as GlyphRun;
    Object.assign(copy, run, { glyphs: run.glyphs.slice(), positions: run.positions.map((p) => ({ ...p })) });
    return copy;
  };
  return new Proxy(font, { get: (target, prop) => (prop === 'layout' ? layout : Reflect.get(target, prop, target)) });
}

const FONT_DIR = path.dirname(require.resolve('node-source-han-sans-sc/package.json'));
let fonts: { regular: object; bold: object } | null = null;
function sharedFonts(): { regular: object; bold: object } {
  fonts ??= {
    regular: sharedFont(path.join(FONT_DIR, 'SourceHanSansSC-Regular.otf')),
    bold: sharedFont(path.join(FONT_DIR, 'SourceHanSansSC-Bold.otf')),
  };
  return fonts;
}

// ---- page geometry (points) and style

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { left: 48, right: 48, top: 64, bottom: 54 };
const CONTENT_W = A4.width - MARGIN.left - MARGIN.right;
const BOTTOM = A4.height - MARGIN.bottom;
const INK = '#1a1a1a';
const MUTED = '#5f6368';
const ACCENT = '#1f4e79';
const RULE = '#b8bec6';
const HEAD_BG = '#eef1f5';
const ZEBRA = '#f8f9fb';
const UP = '#a93226';
const DOWN = '#1f618d';

type Align = 'left' | 'right' | 'center';



const SUB = '₀₁₂₃₄₅₆₇₈₉';
const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** Characters the font has no glyph for, written with ones it has (R₀ → R0). */
export function clean(t: string): string {
  return t.replace(/[₀-₉⁰¹²³⁴-⁹]/g, (c) => String(SUB.includes(c) ? SUB.indexOf(c) : SUP.indexOf(c)));
}

export interface Column {
  header: string;
  width: number;
  align?: Align;
  /** wrap long text over several lines (default: cut to one line only for numbers, wrap for text) */
  wrap?: boolean;
}

interface Cell {
  text: string;
  color?: string;
}

type Row = (string | Cell)[];

interface TableOptions {
  fontSize?: number;
  /** column groups drawn above the headers: label over columns [from, to] */
  groups?: { label: string; from: number; to: number }[];
  zebra?: boolean;
}

/** Draws flowing content on pages with a cursor; tables repeat their header on a new page and never split a row. */
class Layout {
  y = MARGIN.top;

  constructor(readonly doc: PDFKit.PDFDocument) {}

  newPage(): void {
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  /** Starts a new page unless `h` points still fit. */
  ensure(h: number): void {
    if (this.y + h > BOTTOM) this.newPage();
  }

  gap(h: number): void {
    this.y += h;
  }

  text(raw: string, o: { size?: number; bold?: boolean; color?: string; align?: Align; indent?: number; lineGap?: number; width?: number } = {}): void {
    const t = clean(raw);
    const size = o.size ?? 10;
    const width = (o.width ?? CONTENT_W) - (o.indent ?? 0);
    const lineGap = o.lineGap ?? size * 0.45;
    this.doc.font(o.bold ? 'cjk-bold' : 'cjk').fontSize(size);
    const h = this.doc.heightOfString(t, { width, lineGap });
    if (h > BOTTOM - MARGIN.top) {
      // longer than a page: let pdfkit flow it over pages
      this.doc.fillColor(o.color ?? INK).text(t, MARGIN.left + (o.indent ?? 0), this.y, { width, align: o.align ?? 'left', lineGap });
      this.y = this.doc.y;
      return;
    }
    this.ensure(h);
    this.doc.fillColor(o.color ?? INK).text(t, MARGIN.left + (o.indent ?? 0), this.y, { width, align: o.align ?? 'left', lineGap });
    this.y += h;
  }

  /** A section heading; keeps at least `keep` points of what follows on the same page. */
  heading(t: string, level: 1 | 2, keep = 80): void {
    const size = level === 1 ? 14 : 11;
    this.ensure(size * 1.6 + keep);
    if (level === 1 && this.y > MARGIN.top + 1) this.gap(8);
    this.doc.font('cjk-bold').fontSize(size).fillColor(level === 1 ? ACCENT : INK).text(t, MARGIN.left, this.y, { lineBreak: false });
    this.y += size * 1.5;
    if (level === 1) {
      this.doc.moveTo(MARGIN.left, this.y - 3).lineTo(MARGIN.left + CONTENT_W, this.y - 3).lineWidth(0.8).strokeColor(ACCENT).stroke();
      this.y += 5;
    }
  }

  /** A numbered list of sentences. */
  list(items: readonly string[], size = 10): void {
    items.forEach((raw, i) => {
      const t = clean(raw);
      const label = `${i + 1}. `;
      this.doc.font('cjk').fontSize(size);
      const lw = 16;
      const h = this.doc.heightOfString(t, { width: CONTENT_W - lw, lineGap: size * 0.45 });
      this.ensure(h);
      this.doc.fillColor(INK).text(label, MARGIN.left, this.y, { lineBreak: false });
      this.doc.text(t, MARGIN.left + lw, this.y, { width: CONTENT_W - lw, lineGap: size * 0.45 });
      this.y += h + 3;
    });
  }

  /** A note in a tinted box across the content width, its `lead` in bold. */
  box(lead: string, raw: string, o: { fill: string; stroke: string; size?: number }): void {
    const t = clean(raw);
    const size = o.size ?? 10.5;
    const pad = 8;
    const lineGap = size * 0.4;
    this.doc.font('cjk-bold').fontSize(size);
    const h = this.doc.heightOfString(lead + t, { width: CONTENT_W - 2 * pad, lineGap }) + 2 * pad;
    this.ensure(h);
    this.doc.rect(MARGIN.left, this.y, CONTENT_W, h).lineWidth(0.8).fillAndStroke(o.fill, o.stroke);
    this.doc.fillColor(INK).text(lead, MARGIN.left + pad, this.y + pad, { width: CONTENT_W - 2 * pad, lineGap, continued: true });
    this.doc.font('cjk').text(t, { lineGap });
    this.y += h + 6;
  }

  /** An SVG chart drawn as vectors, scaled to `width` points (default the content width). */
  chart(c: ChartSvg, width = CONTENT_W): void {
    const height = (c.height * width) / c.width;
    this.ensure(height + 6);
    SVGtoPDF(this.doc, c.svg, MARGIN.left + (CONTENT_W - width) / 2, this.y, {
      width,
      height,
      preserveAspectRatio: 'xMidYMid meet',
      fontCallback: (_family, bold) => (bold ? 'cjk-bold' : 'cjk'),
    });
    this.y += height + 6;
  }

  /** A table; columns' widths are scaled to the content width. */
  table(columns: readonly Column[], cells: readonly Row[], o: TableOptions = {}): void {
    const doc = this.doc;
    const rows = cells.map((r) => r.map((c) => (typeof c === 'string' ? clean(c) : { ...c, text: clean(c.text) })));
    const size = o.fontSize ?? 8;
    const pad = 3;
    const lineH = size * 1.25;
    const scale = CONTENT_W / columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => c.width * scale);
    const xs: number[] = [];
    widths.reduce((x, w) => (xs.push(x), x + w), MARGIN.left);

    doc.font('cjk-bold').fontSize(size);
    const headH = Math.max(...columns.map((c, i) => doc.heightOfString(c.header, { width: widths[i] - 2 * pad }))) + 2 * pad;
    const groupH = o.groups?.length ? lineH + 2 * pad : 0;

    const drawHeader = () => {
      let y = this.y;
      if (o.groups?.length) {
        doc.rect(MARGIN.left, y, CONTENT_W, groupH).fill(HEAD_BG);
        doc.font('cjk-bold').fontSize(size).fillColor(INK);
        for (const g of o.groups) {
          const x = xs[g.from];
          const w = xs[g.to] + widths[g.to] - x;
          doc.text(g.label, x, y + pad, { width: w, align: 'center', lineBreak: false });
          doc.moveTo(x + 2, y + groupH - 0.5).lineTo(x + w - 2, y + groupH - 0.5).lineWidth(0.4).strokeColor(RULE).stroke();
        }
        y += groupH;
      }
      doc.rect(MARGIN.left, y, CONTENT_W, headH).fill(HEAD_BG);
      doc.font('cjk-bold').fontSize(size).fillColor(INK);
      columns.forEach((c, i) => {
        const th = doc.heightOfString(c.header, { width: widths[i] - 2 * pad });
        doc.text(c.header, xs[i] + pad, y + (headH - th) / 2, { width: widths[i] - 2 * pad, align: c.align ?? 'left' });
      });
      y += headH;
      doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + CONTENT_W, y).lineWidth(0.8).strokeColor(INK).stroke();
      doc.moveTo(MARGIN.left, this.y).lineTo(MARGIN.left + CONTENT_W, this.y).lineWidth(0.8).strokeColor(INK).stroke();
      this.y = y;
    };

    doc.font('cjk').fontSize(size);
    const heights = rows.map((r) =>
      Math.max(
        lineH,
        ...r.map((cell, i) => {
          const t = typeof cell === 'string' ? cell : cell.text;
          const wraps = columns[i].wrap ?? columns[i].align !== 'right';
          if (!wraps || doc.widthOfString(t) <= widths[i] - 2 * pad) return lineH;
          return doc.heightOfString(t, { width: widths[i] - 2 * pad });
        }),
      ) + 2 * pad,
    );

    this.ensure(groupH + headH + (heights[0] ?? 0));
    drawHeader();
    doc.font('cjk').fontSize(size);
    rows.forEach((r, k) => {
      const h = heights[k];
      if (this.y + h > BOTTOM) {
        this.newPage();
        drawHeader();
        doc.font('cjk').fontSize(size);
      }
      if (o.zebra && k % 2 === 1) doc.rect(MARGIN.left, this.y, CONTENT_W, h).fill(ZEBRA);
      r.forEach((cell, i) => {
        const t = typeof cell === 'string' ? cell : cell.text;
        const color = typeof cell === 'string' ? INK : (cell.color ?? INK);
        const wraps = columns[i].wrap ?? columns[i].align !== 'right';
        // a number wider than its column (a price of five digits) is set smaller rather than cut
        let fitted = false;
        if (!wraps && t.length >= 8) {
          const w = doc.widthOfString(t);
          if (w > widths[i] - 2 * pad) {
            doc.fontSize(Math.max(4.5, (size * (widths[i] - 2 * pad)) / w));
            fitted = true;
          }
        }
        doc.fillColor(color).text(t, xs[i] + pad, this.y + pad + (fitted ? 0.6 : 0), {
          width: widths[i] - 2 * pad,
          align: columns[i].align ?? 'left',
          lineBreak: wraps,
          height: h,
        });
        if (fitted) doc.fontSize(size);
      });
      this.y += h;
      doc.moveTo(MARGIN.left, this.y).lineTo(MARGIN.left + CONTENT_W, this.y).lineWidth(0.25).strokeColor(RULE).stroke();
    });
    doc.moveTo(MARGIN.left, this.y).lineTo(MARGIN.left + CONTENT_W, this.y).lineWidth(0.8).strokeColor(INK).stroke();
    this.y += 8;
  }
}

// ---- the sections

const wan = (fen: number | null | undefined) => amount(fen, '万元');
const yuan = (fen: number | null | undefined) => amount(fen, '元');
const signed = (fen: number): Cell => ({ text: wan(fen), color: fen > 0 ? UP : fen < 0 ? DOWN : INK });

function summarySection(L: Layout, d: BriefingData): void {
  const s = d.impact.summary;
  const v = verdict(d.impact);
  L.heading('一、摘要', 1);
  L.box('结论：', v.textZh, v.ok ? { fill: '#eef6ee', stroke: '#7aa77a' } : { fill: '#fbeeee', stroke: '#c47a7a' });
  const figure = (label: string, value: string) => [label, value];
  const rows = [
    [...figure('调价总量', money(d.impact.total.totalFen)), ...figure('年度净调价金额', money(s.netFen))],
    [...figure('上调金额', money(s.grossUpFen)), ...figure('下调金额', money(s.grossDownFen))],
    [...figure('医保基金支付变化', money(s.fundFen)), ...figure('患者个人负担变化', money(s.outOfPocketFen))],
    [...figure('调整项目数', `${s.adjustedItemCount} 个（占 ${percent(s.adjustedItemShare, 1)}）`), ...figure('调整项目价格数', `${s.changedRowCount} 项（升 ${s.upRowCount} / 降 ${s.downRowCount}）`)],
  ];
  L.table(
    [
      { header: '指标', width: 110 },
      { header: '数值', width: 140, align: 'right' },
      { header: '指标', width: 110 },
      { header: '数值', width: 145, align: 'right' },
    ],
    rows,
    { fontSize: 9.5 },
  );
  L.heading('要点', 2, 60);
  L.list(headlines(d), 10);
}

function evaluationSection(L: Layout, d: BriefingData): void {
  L.heading('二、启动条件评估', 1);
  const ev = d.evaluation;
  if (!ev.result) {
    L.text(`本轮次没有启动条件评估结果。${ev.note ?? ''}`, { color: MUTED });
    return;
  }
  const r = ev.result;
  const from = ev.source === 'round' ? '轮次状态变更时保存的评估结果' : '按适用规则集即时评估';
  L.text(`评估结论：${STATUS_ZH[r.status]}。${r.summaryZh}`, { size: 10 });
  L.text(`规则集“${r.ruleSet.name}”（第 ${r.ruleSet.version} 版），${r.year} 年${r.kind === 'special' ? '专项调整' : '常规调整'}；来源：${from}。${ev.note ?? ''}`, { size: 8.5, color: MUTED });
  L.gap(4);
  const lines = ruleLines(r.rules);
  L.table(
    [
      { header: '类别', width: 44 },
      { header: '条件', width: 136 },
      { header: '数值', width: 56, align: 'right' },
      { header: '阈值', width: 58, align: 'right', wrap: true },
      { header: '数据来源（期间）', width: 166 },
      { header: '结果', width: 44, align: 'center' },
    ],
    lines.map((l) => [l.role, l.label, l.value, l.threshold, l.source, { text: l.outcome, color: l.outcome === '触发约束' || l.outcome === '不满足' ? UP : INK }]),
    { fontSize: 8, zebra: true },
  );
  for (const w of r.warnings) L.text(`注：${w}`, { size: 8, color: MUTED });
}

function totalSection(L: Layout, d: BriefingData, charts: BriefingCharts): void {
  L.heading('三、调价总量', 1, 240);
  const t = d.total;
  if (!t) {
    L.text(`调价总量无法按总量模型测算：${d.totalError ?? '原因不明'}。核对所用的调价总量：${money(d.impact.total.totalFen)}。`, { color: MUTED });
    return;
  }
  L.text(
    `以 ${t.baseYear} 年（${t.basePeriod.from} 至 ${t.basePeriod.to}）公立医疗机构医疗服务收入 ${money(t.baseFen)} 为历史基数，合理增长率 ${percent(t.growthRate, 2)}，` +
      `测算调价总量 ${money(t.totalFen)}${t.bindingCap ? '（受基金承受能力上限约束）' : ''}` +
      (t.configuredTotalFen !== null ? `；轮次设定的调价总金额为 ${money(t.configuredTotalFen)}，方案按此核对` : '') +
      (t.maxIncreaseFen !== null ? `；基金可承受的最大增幅 ${money(t.maxIncreaseFen)}` : '') +
      '。',
  );
  L.gap(4);
  if (charts.waterfall) L.chart(charts.waterfall);
  L.table(
    [
      { header: '步骤', width: 80 },
      { header: '金额（万元）', width: 80, align: 'right' },
      { header: '计算说明', width: 345 },
    ],
    t.steps.filter((s) => s.enabled || s.kind === 'subtotal' || s.kind === 'total').map((s) => [s.labelZh, wan(s.amountFen), s.formulaZh]),
    { fontSize: 8 },
  );
}

function groupTable(L: Layout, first: string, groups: readonly ImpactGroup[]): void {
  L.table(
    [
      { header: first, width: 96 },
      { header: '调整价格数', width: 52, align: 'right' },
      { header: '上调（万元）', width: 72, align: 'right' },
      { header: '下调（万元）', width: 72, align: 'right' },
      { header: '净额（万元）', width: 72, align: 'right' },
      { header: '基金（万元）', width: 70, align: 'right' },
      { header: '个人（万元）', width: 70, align: 'right' },
    ],
    groups.map((g) => [g.labelZh, String(g.changedCount), wan(g.grossUpFen), wan(g.grossDownFen), signed(g.netFen), wan(g.fundFen), wan(g.outOfPocketFen)]),
    { fontSize: 8, zebra: true },
  );
}

function movesTable(L: Layout, rows: readonly ImpactItemRow[]): void {
  L.table(
    [
      { header: '项目编码', width: 70 },
      { header: '项目名称', width: 150 },
      { header: '等级', width: 30, align: 'center' },
      { header: '原价（元）', width: 62, align: 'right' },
      { header: '新价（元）', width: 62, align: 'right' },
      { header: '幅度', width: 50, align: 'right' },
      { header: '年调价金额（万元）', width: 81, align: 'right' },
    ],
    rows.map((r) => [r.itemCode, r.name, LEVEL_ZH[r.level], yuan(r.oldPriceFen), yuan(r.newPriceFen), rateText(r.changeRate), signed(r.deltaRevenueFen)]),
    { fontSize: 8 },
  );
}

function impactSection(L: Layout, d: BriefingData, charts: BriefingCharts): void {
  const s = d.impact.summary;
  L.heading('四、方案影响', 1, 260);
  L.heading('（一）按项目类别', 2, 240);
  if (charts.byCategory) L.chart(charts.byCategory);
  groupTable(L, '项目类别', s.byCategory.filter((g) => g.changedCount > 0));

  L.heading('（二）按医院等级', 2, 220);
  const levels = s.byLevel.filter((g) => g.rowCount > 0).map((g) => ({ ...g, labelZh: `${LEVEL_ZH[Number(g.key) as HospitalLevel] ?? g.labelZh}医院` }));
  if (charts.byLevel) L.chart(charts.byLevel, CONTENT_W * 0.85);
  groupTable(L, '医院等级', levels);

  const hospitals = d.impact.byHospital ?? [];
  if (hospitals.length) {
    L.heading('（三）按医院', 2);
    L.table(
      [
        { header: '医院', width: 170 },
        { header: '等级', width: 36, align: 'center' },
        { header: '上调（万元）', width: 60, align: 'right' },
        { header: '下调（万元）', width: 60, align: 'right' },
        { header: '净额（万元）', width: 60, align: 'right' },
        { header: '基金（万元）', width: 58, align: 'right' },
        { header: '个人（万元）', width: 58, align: 'right' },
      ],
      hospitals.map((h) => [h.labelZh, LEVEL_ZH[h.level], wan(h.grossUpFen), wan(h.grossDownFen), signed(h.netFen), wan(h.fundFen), wan(h.outOfPocketFen)]),
      { fontSize: 8, zebra: true },
    );
  }

  L.heading('（四）结构指标（调价前后）', 2);
  const share = d.impact.serviceRevenueShare;
  L.table(
    [
      { header: '指标', width: 250 },
      { header: '调价前', width: 120, align: 'right' },
      { header: '调价后', width: 120, align: 'right' },
    ],
    [
      ['技术劳务为主项目的收入占比', percentFixed(s.labour.revenueShareBefore, 2), percentFixed(s.labour.revenueShareAfter, 2)],
      ['医疗服务收入占比', share ? percentFixed(share.before, 2) : '—', share ? percentFixed(share.after, 2) : '—'],
      ['成本回收率（总体，收入 ÷ 成本）', percentFixed(s.recovery.before.aggregateRate, 2), percentFixed(s.recovery.after.aggregateRate, 2)],
      ['价格低于成本的项目价格数', String(s.recovery.before.belowCostCount), String(s.recovery.after.belowCostCount)],
      ['上调金额中技术劳务为主项目的占比', '—', percentFixed(s.labour.share, 2)],
    ],
    { fontSize: 8.5 },
  );

  const moves = largestMoves(d.itemRows, 10);
  L.heading('（五）上调金额最大的项目价格', 2);
  if (moves.ups.length) movesTable(L, moves.ups);
  else L.text('方案没有上调价格。', { color: MUTED });
  L.heading('（六）下调金额最大的项目价格', 2);
  if (moves.downs.length) movesTable(L, moves.downs);
  else L.text('方案没有下调价格。', { color: MUTED });

  L.heading('（七）检查结果', 2);
  if (s.checks.length === 0) L.text('全部检查通过，没有错误或提示。');
  else {
    L.table(
      [
        { header: '代码', width: 178 },
        { header: '级别', width: 30, align: 'center' },
        { header: '说明', width: 246 },
        { header: '涉及价格数', width: 51, align: 'right' },
      ],
      s.checks.map((c) => [c.code, { text: SEVERITY_ZH[c.severity], color: c.severity === 'error' ? UP : INK }, c.messageZh, c.items ? String(c.items.length) : '—']),
      { fontSize: 8 },
    );
  }
  forecastPart(L, d);
}

/** 四（八）: the forecast band under volume response beside the static figures, with its assumptions. */
function forecastPart(L: Layout, d: BriefingData): void {
  L.heading('（八）考虑服务量变化的预测区间', 2, 160);
  const f = d.forecast;
  if (!f) {
    L.text(`未测算预测区间：${d.forecastError ?? '原因不明'}。以上金额均按基期服务量不变测算。`, { color: MUTED });
    return;
  }
  const t = f.total;
  const row = (label: string, st: number, b: { p10Fen: number; p50Fen: number; p90Fen: number; minFen: number; maxFen: number }) =>
    [label, money(st), money(b.p10Fen), money(b.p50Fen), money(b.p90Fen), `${money(b.minFen)} ~ ${money(b.maxFen)}`];
  L.table(
    [
      { header: `${f.year} 年`, width: 70 },
      { header: '静态测算', width: 72, align: 'right' },
      { header: 'P10', width: 72, align: 'right' },
      { header: 'P50', width: 72, align: 'right' },
      { header: 'P90', width: 72, align: 'right' },
      { header: '精确区间', width: 147, align: 'right' },
    ],
    [row('净调价金额', t.static.netFen, t.net), row('医保基金', t.static.fundFen, t.fund), row('个人负担', t.static.outOfPocketFen, t.outOfPocket)],
    { fontSize: 8.5 },
  );
  for (const x of f.sentencesZh) L.text(x, { size: 9 });
  L.text(
    `注：P10 / P50 / P90 为在各假设区间内 ${f.method.draws} 次抽样（固定种子 ${f.method.seed}）的百分位数；精确区间为各假设区间端点组合的结果（模型对每项假设是线性的）。` +
      '假设的来源与模型见“预测与负担”页面。',
    { size: 8, color: MUTED },
  );
}

function itemsSection(L: Layout, d: BriefingData): void {
  const lines = itemLines(d.itemRows);
  const s = d.impact.summary;
  L.newPage();
  L.heading('五、调价项目表', 1);
  L.text(
    `共 ${lines.length} 个项目、${s.changedRowCount} 项项目价格。每个项目列出其在各等级医疗机构的价格；未调整的等级原价与新价相同，“—”表示该等级无此项目价格。幅度 = (新价 − 原价) ÷ 原价。`,
    { size: 8.5, color: MUTED },
  );
  L.gap(2);
  const cols: Column[] = [
    { header: '序号', width: 22, align: 'right' },
    { header: '项目编码', width: 58 },
    { header: '项目名称', width: 104 },
    { header: '单位', width: 30, align: 'center' },
  ];
  for (let k = 0; k < LEVELS.length; k++) {
    cols.push({ header: '原价（元）', width: 34, align: 'right' }, { header: '新价（元）', width: 34, align: 'right' }, { header: '幅度', width: 31, align: 'right' });
  }
  const rows: Row[] = lines.map((l, i) => {
    const r: Row = [String(i + 1), l.itemCode, l.name, l.unit ?? '—'];
    for (const lv of LEVELS) {
      const p = l.levels[lv];
      if (!p) r.push('—', '—', '—');
      else {
        const color = !p.changed ? MUTED : p.newPriceFen > p.oldPriceFen ? UP : DOWN;
        r.push({ text: yuan(p.oldPriceFen), color: p.changed ? INK : MUTED }, { text: yuan(p.newPriceFen), color }, { text: p.changed ? rateText(p.changeRate) : '—', color });
      }
    }
    return r;
  });
  L.table(cols, rows, {
    fontSize: 6.8,
    zebra: true,
    groups: LEVELS.map((lv, k) => ({ label: `${LEVEL_ZH[lv]}医疗机构`, from: 4 + 3 * k, to: 6 + 3 * k })),
  });
}

const ORIGIN_ZH = { real: '真实', generated: '生成', user: '用户' } as const;
const KIND_ZH: Record<string, string> = {
  catalogue: '项目目录',
  guideline: '立项指南',
  mapping: '映射关系表',
  'price-table': '价格表',
  costs: '成本',
  volumes: '服务量',
  indicators: '指标',
  round: '历史调价',
  institutions: '医疗机构',
  reimbursement: '医保支付比例',
};

function sourcesSection(L: Layout, d: BriefingData): void {
  L.heading('六、数据来源与假设', 1);
  L.heading('（一）导入批次', 2);
  if (d.batches.length === 0) L.text('本地区没有导入批次。', { color: MUTED });
  else {
    L.table(
      [
        { header: '批次', width: 30, align: 'right' },
        { header: '类型', width: 52 },
        { header: '文件名与 SHA-256 校验值', width: 290 },
        { header: '行数', width: 42, align: 'right' },
        { header: '导入时间', width: 62 },
        { header: '性质', width: 28, align: 'center' },
      ],
      d.batches.map((b) => [String(b.id), KIND_ZH[b.kind] ?? b.kind, `${b.fileName}\n${b.checksum}`, String(b.rowsLoaded), b.loadedAt, ORIGIN_ZH[b.origin] ?? b.origin]),
      { fontSize: 7, zebra: true },
    );
  }
  L.heading('（二）假设与替代规则', 2);
  L.list(assumptions(d), 9);
}

function titleBlock(L: Layout, d: BriefingData): void {
  const { round } = d;
  const sc = d.impact.scenario;
  L.gap(6);
  L.text(round.name, { size: 19, bold: true, align: 'center' });
  L.gap(2);
  L.text(`调价方案“${sc.name}”测算简报`, { size: 14, align: 'center' });
  L.gap(4);
  L.text(
    `${round.regionName}（${round.regionCode}） · 方案第 ${sc.version} 版 · 价格日期 ${d.impact.priceDate} · 基期 ${d.impact.baseYear} 年 · ${d.generatedOn} 生成`,
    { size: 8.5, color: MUTED, align: 'center' },
  );
  L.gap(10);
}

function pageFurniture(doc: PDFKit.PDFDocument, d: BriefingData): void {
  const range = doc.bufferedPageRange();
  const left = `${d.round.regionName} · ${d.round.name}`;
  const right = `${d.generatedOn} · 数据截至 ${d.dataAsOf ?? '—'}`;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const saved = { ...doc.page.margins };
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    doc.font('cjk').fontSize(7.5).fillColor(MUTED);
    doc.text(left, MARGIN.left, 30, { width: CONTENT_W * 0.6, lineBreak: false, ellipsis: true });
    doc.text(right, MARGIN.left + CONTENT_W * 0.5, 30, { width: CONTENT_W * 0.5, align: 'right', lineBreak: false });
    doc.moveTo(MARGIN.left, 42).lineTo(MARGIN.left + CONTENT_W, 42).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.text(`第 ${i + 1} 页 / 共 ${range.count} 页`, MARGIN.left, A4.height - 34, { width: CONTENT_W, align: 'center', lineBreak: false });
    doc.page.margins = saved;
  }
}

/** The briefing as PDF bytes. */
export function renderBriefingPdf(d: BriefingData, charts: BriefingCharts): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    info: {
      Title: `${d.round.name} 调价方案“${d.impact.scenario.name}”测算简报`,
      Subject: '医疗服务价格调整测算简报',
      Keywords: `${d.round.regionName} ${d.round.name}`,
      Creator: '医疗服务价格改革分析平台',
      Producer: '医疗服务价格改革分析平台',
    },
    lang: 'zh-CN',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const f = sharedFonts();
  // pdfkit takes a fontkit font as well as a file (PDFFontFactory.open); each document embeds its own subset
  doc.registerFont('cjk', f.regular as unknown as string);
  doc.registerFont('cjk-bold', f.bold as unknown as string);
  doc.font('cjk');
  const L = new Layout(doc);
  titleBlock(L, d);
  summarySection(L, d);
  evaluationSection(L, d);
  totalSection(L, d, charts);
  impactSection(L, d, charts);
  itemsSection(L, d);
  sourcesSection(L, d);
  pageFurniture(doc, d);
  doc.end();
  return done;
}
