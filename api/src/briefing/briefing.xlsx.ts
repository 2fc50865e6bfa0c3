/**
 * The Excel files of a scenario (exceljs): the 调价项目表 and the impact tables. Chinese headers with their units, a
 * frozen header row, number formats (prices in 元 with two decimals, amounts in 万元, rates as percentages) and
 * column widths. The 调价项目表's columns are the ones the scenario import reads (scenarios.import.ts: 项目编码,
 * 三级原价（元）/三级新价（元）…, 调价说明), so an exported list imported back changes nothing.
 */
import ExcelJS from 'exceljs';
import type { ImpactGroup } from '../domain/pricing';
import type { ImpactItemRow } from '../impact/impact.schemas';
import { categoryZh, itemLines, LEVEL_ZH, LEVELS } from './briefing.content';
import type { BriefingData } from './briefing.schemas';

const YUAN = '#,##0.00';
const WAN = '#,##0.00';
const RATE = '0.0%';
const SHARE = '0.00%';
const TEXT = '@';

interface Col {
  header: string;
  key: string;
  width: number;
  numFmt?: string;
}

const yuan = (fen: number | null | undefined): number | null => (fen === null || fen === undefined ? null : fen / 100);
const wan = (fen: number | null | undefined): number | null => (fen === null || fen === undefined ? null : fen / 1_000_000);

function sheet(wb: ExcelJS.Workbook, name: string, cols: readonly Col[], rows: readonly Record<string, unknown>[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, activeCell: 'A2' }] });
  ws.columns = cols.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  head.height = 30;
  head.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF1F5' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  for (const r of rows) ws.addRow(r);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
  return ws;
}

function workbook(d: Pick<BriefingData, 'generatedOn' | 'round' | 'impact'>): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '医疗服务价格改革分析平台';
  wb.title = `${d.round.name} ${d.impact.scenario.name}`;
  // a fixed date from the data, so the same scenario exports the same workbook
  wb.created = new Date(`${d.generatedOn}T00:00:00Z`);
  wb.modified = wb.created;
  return wb;
}

function notes(wb: ExcelJS.Workbook, d: Pick<BriefingData, 'generatedOn' | 'round' | 'impact' | 'dataAsOf'>, lines: readonly [string, string][]): void {
  const ws = wb.addWorksheet('说明');
  ws.columns = [
    { header: '项目', key: 'k', width: 18 },
    { header: '内容', key: 'v', width: 90 },
  ];
  ws.getRow(1).font = { bold: true };
  const sc = d.impact.scenario;
  const rows: [string, string][] = [
    ['地区', `${d.round.regionName}（${d.round.regionCode}）`],
    ['调价轮次', `${d.round.name}（编号 ${d.round.id}）`],
    ['调价方案', `${sc.name}（编号 ${sc.id}，第 ${sc.version} 版）`],
    ['价格日期', d.impact.priceDate],
    ['基期', `${d.impact.baseYear} 年`],
    ['数据截至', d.dataAsOf ?? '—'],
    ['生成日期', d.generatedOn],
    ...lines,
  ];
  for (const [k, v] of rows) ws.addRow({ k, v });
  ws.getColumn('v').alignment = { wrapText: true, vertical: 'top' };
}

/**
 * 调价项目表: one row per changed item; per level (三级/二级/一级) 原价（元）, 新价（元）, 变动幅度, 基金支付比例 and
 * 个人自付比例 ("—" where the item has no price at that level); the item's annual amounts; 调价说明.
 */
export async function itemsWorkbook(d: Pick<BriefingData, 'generatedOn' | 'round' | 'impact' | 'itemRows' | 'dataAsOf'>, reasons: ReadonlyMap<string, string>): Promise<Buffer> {
  const wb = workbook(d);
  const cols: Col[] = [
    { header: '序号', key: 'no', width: 6 },
    { header: '项目编码', key: 'code', width: 16, numFmt: TEXT },
    { header: '项目名称', key: 'name', width: 30 },
    { header: '计价单位', key: 'unit', width: 9 },
    { header: '项目类别', key: 'category', width: 14 },
    { header: '支付类别', key: 'paymentClass', width: 8 },
  ];
  for (const l of LEVELS) {
    const z = LEVEL_ZH[l];
    cols.push(
      { header: `${z}原价（元）`, key: `old${l}`, width: 12, numFmt: YUAN },
      { header: `${z}新价（元）`, key: `new${l}`, width: 12, numFmt: YUAN },
      { header: `${z}变动幅度`, key: `rate${l}`, width: 10, numFmt: RATE },
      { header: `${z}基金支付比例`, key: `fund${l}`, width: 10, numFmt: SHARE },
      { header: `${z}个人自付比例`, key: `own${l}`, width: 10, numFmt: SHARE },
    );
  }
  cols.push(
    { header: '年调价金额（万元）', key: 'delta', width: 14, numFmt: WAN },
    { header: '基金支付变化（万元）', key: 'fund', width: 14, numFmt: WAN },
    { header: '个人负担变化（万元）', key: 'own', width: 14, numFmt: WAN },
    { header: '调价说明', key: 'reason', width: 30 },
  );
  const lines = itemLines(d.itemRows);
  const rows = lines.map((l, i) => {
    const r: Record<string, unknown> = {
      no: i + 1,
      code: l.itemCode,
      name: l.name,
      unit: l.unit ?? '',
      category: l.categoryZh,
      paymentClass: l.paymentClass ?? '',
      delta: wan(l.deltaRevenueFen),
      fund: wan(l.fundFen),
      own: wan(l.outOfPocketFen),
    };
    const why: string[] = [];
    for (const lv of LEVELS) {
      const p = l.levels[lv];
      if (!p) {
        for (const k of ['old', 'new', 'rate', 'fund', 'own']) r[`${k}${lv}`] = '—';
        continue;
      }
      r[`old${lv}`] = yuan(p.oldPriceFen);
      r[`new${lv}`] = yuan(p.newPriceFen);
      r[`rate${lv}`] = p.changeRate;
      r[`fund${lv}`] = p.fundShare;
      r[`own${lv}`] = 1 - p.fundShare;
      const reason = reasons.get(`${l.itemCode}|${lv}`);
      if (reason && !why.includes(reason)) why.push(reason);
    }
    r.reason = why.join('；');
    return r;
  });
  const ws = sheet(wb, '调价项目表', cols, rows);
  ws.getColumn('reason').alignment = { wrapText: false };
  for (let c = 7; c <= 6 + LEVELS.length * 5; c++) ws.getColumn(c).alignment = { horizontal: 'right' };
  notes(wb, d, [
    ['项目数', `${lines.length} 个项目，${d.impact.summary.changedRowCount} 项项目价格有变动`],
    ['填写与导入', '修改“新价（元）”各列后，可在调价方案页面“导入”本表；原价须等于价格日期的现行价格，“—”表示该等级无此项目价格，新价等于原价的等级视为不调整。'],
    ['基金支付比例', d.impact.paramsUsed.fundShareRuleZh],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const GROUP_COLS: Col[] = [
  { header: '调整价格数', key: 'changedCount', width: 10 },
  { header: '上调价格数', key: 'upCount', width: 10 },
  { header: '下调价格数', key: 'downCount', width: 10 },
  { header: '基期收入（万元）', key: 'base', width: 16, numFmt: WAN },
  { header: '调价后收入（万元）', key: 'after', width: 16, numFmt: WAN },
  { header: '上调金额（万元）', key: 'up', width: 14, numFmt: WAN },
  { header: '下调金额（万元）', key: 'down', width: 14, numFmt: WAN },
  { header: '净调价金额（万元）', key: 'net', width: 14, numFmt: WAN },
  { header: '基金支付变化（万元）', key: 'fund', width: 14, numFmt: WAN },
  { header: '个人负担变化（万元）', key: 'own', width: 14, numFmt: WAN },
];

const groupRow = (g: ImpactGroup) => ({
  changedCount: g.changedCount,
  upCount: g.upCount,
  downCount: g.downCount,
  base: wan(g.baseRevenueFen),
  after: wan(g.newRevenueFen),
  up: wan(g.grossUpFen),
  down: wan(g.grossDownFen),
  net: wan(g.netFen),
  fund: wan(g.fundFen),
  own: wan(g.outOfPocketFen),
});

/** The impact tables: 汇总, 按项目类别, 按医院等级, 按医院, 按医院类型, 按支付类别, 检查结果, 项目价格明细. */
export async function impactWorkbook(d: Pick<BriefingData, 'generatedOn' | 'round' | 'impact' | 'itemRows' | 'dataAsOf'>): Promise<Buffer> {
  const wb = workbook(d);
  const { impact } = d;
  const s = impact.summary;
  const share = impact.serviceRevenueShare;
  const figures: [string, number | string | null, string?][] = [
    ['调价总量（万元）', wan(impact.total.totalFen), WAN],
    ['净调价金额（万元）', wan(s.netFen), WAN],
    ['上调金额（万元）', wan(s.grossUpFen), WAN],
    ['下调金额（万元）', wan(s.grossDownFen), WAN],
    ['医保基金支付变化（万元）', wan(s.fundFen), WAN],
    ['患者个人负担变化（万元）', wan(s.outOfPocketFen), WAN],
    ['基期收入（万元）', wan(s.baseRevenueFen), WAN],
    ['调价后收入（万元）', wan(s.newRevenueFen), WAN],
    ['是否在调价总量之内', s.withinTotal ? '是' : '否'],
    ['超出调价总量（万元）', wan(s.overByFen), WAN],
    ['调整项目数', s.adjustedItemCount],
    ['项目总数', s.itemCount],
    ['调整项目数比例', s.adjustedItemShare, SHARE],
    ['调整项目价格数', s.changedRowCount],
    ['上调价格数', s.upRowCount],
    ['下调价格数', s.downRowCount],
    ['上调金额中技术劳务为主项目占比', s.labour.share, SHARE],
    ['技术劳务为主项目收入占比（调价前）', s.labour.revenueShareBefore, SHARE],
    ['技术劳务为主项目收入占比（调价后）', s.labour.revenueShareAfter, SHARE],
    ['医疗服务收入占比（调价前）', share?.before ?? null, SHARE],
    ['医疗服务收入占比（调价后）', share?.after ?? null, SHARE],
    ['成本回收率（调价前）', s.recovery.before.aggregateRate, SHARE],
    ['成本回收率（调价后）', s.recovery.after.aggregateRate, SHARE],
  ];
  const summary = sheet(wb, '汇总', [
    { header: '指标', key: 'k', width: 36 },
    { header: '数值', key: 'v', width: 18 },
  ], figures.map(([k, v]) => ({ k, v: v ?? '—' })));
  figures.forEach(([, , fmt], i) => {
    if (fmt) summary.getCell(i + 2, 2).numFmt = fmt;
  });

  sheet(wb, '按项目类别', [{ header: '项目类别', key: 'label', width: 16 }, ...GROUP_COLS], s.byCategory.map((g) => ({ label: g.labelZh, ...groupRow(g) })));
  sheet(wb, '按医院等级', [{ header: '医院等级', key: 'label', width: 12 }, ...GROUP_COLS], s.byLevel.map((g) => ({ label: `${LEVEL_ZH[Number(g.key) as 1 | 2 | 3] ?? g.labelZh}`, ...groupRow(g) })));
  sheet(
    wb,
    '按医院',
    [{ header: '机构编码', key: 'code', width: 14, numFmt: TEXT }, { header: '医院', key: 'label', width: 28 }, { header: '等级', key: 'level', width: 6 }, { header: '类型', key: 'type', width: 12 }, ...GROUP_COLS],
    (impact.byHospital ?? []).map((g) => ({ code: g.key, label: g.labelZh, level: LEVEL_ZH[g.level], type: g.type ?? '', ...groupRow(g) })),
  );
  sheet(wb, '按医院类型', [{ header: '医院类型', key: 'label', width: 16 }, ...GROUP_COLS], (impact.byHospitalType ?? []).map((g) => ({ label: g.labelZh, ...groupRow(g) })));
  sheet(wb, '按支付类别', [{ header: '支付类别', key: 'label', width: 12 }, ...GROUP_COLS], impact.byPaymentClass.map((g) => ({ label: g.labelZh, ...groupRow(g) })));
  sheet(
    wb,
    '检查结果',
    [{ header: '代码', key: 'code', width: 34 }, { header: '级别', key: 'severity', width: 8 }, { header: '说明', key: 'message', width: 90 }, { header: '涉及价格数', key: 'count', width: 10 }],
    s.checks.map((c) => ({ code: c.code, severity: c.severity === 'error' ? '错误' : '提示', message: c.messageZh, count: c.items?.length ?? 0 })),
  );
  sheet(
    wb,
    '项目价格明细',
    [
      { header: '项目编码', key: 'code', width: 16, numFmt: TEXT },
      { header: '项目名称', key: 'name', width: 30 },
      { header: '计价单位', key: 'unit', width: 9 },
      { header: '项目类别', key: 'category', width: 14 },
      { header: '支付类别', key: 'paymentClass', width: 8 },
      { header: '医院等级', key: 'level', width: 8 },
      { header: '原价（元）', key: 'old', width: 12, numFmt: YUAN },
      { header: '新价（元）', key: 'new', width: 12, numFmt: YUAN },
      { header: '变动幅度', key: 'rate', width: 10, numFmt: RATE },
      { header: '基期服务量', key: 'q', width: 12, numFmt: '#,##0' },
      { header: '年调价金额（元）', key: 'delta', width: 16, numFmt: YUAN },
      { header: '基金支付比例', key: 'share', width: 10, numFmt: SHARE },
      { header: '基金支付变化（元）', key: 'fund', width: 16, numFmt: YUAN },
      { header: '个人负担变化（元）', key: 'own', width: 16, numFmt: YUAN },
      { header: '单位成本（元）', key: 'cost', width: 12, numFmt: YUAN },
      { header: '成本回收率（调价前）', key: 'recBefore', width: 12, numFmt: RATE },
      { header: '成本回收率（调价后）', key: 'recAfter', width: 12, numFmt: RATE },
      { header: '技术劳务占比', key: 'labour', width: 10, numFmt: RATE },
      { header: '其他地区中位价（元）', key: 'median', width: 14, numFmt: YUAN },
      { header: '调价后价格百分位', key: 'pct', width: 12, numFmt: '0.0' },
    ],
    d.itemRows
      .filter((r) => r.changed)
      .map((r: ImpactItemRow) => ({
        code: r.itemCode,
        name: r.name,
        unit: r.unit ?? '',
        category: categoryZh(r.categoryCode),
        paymentClass: r.paymentClass ?? '',
        level: LEVEL_ZH[r.level],
        old: yuan(r.oldPriceFen),
        new: yuan(r.newPriceFen),
        rate: r.changeRate,
        q: r.quantity,
        delta: yuan(r.deltaRevenueFen),
        share: r.fundShare,
        fund: yuan(r.fundFen),
        own: yuan(r.outOfPocketFen),
        cost: yuan(r.unitCostFen),
        recBefore: r.recoveryBefore,
        recAfter: r.recoveryAfter,
        labour: r.labourShare,
        median: yuan(r.otherMedianFen),
        pct: r.percentileNew,
      })),
  );
  notes(wb, d, [
    ['口径', `按 ${impact.baseYear} 年本地区公立医疗机构服务量测算，调价后服务量不变；金额为年度金额。`],
    ['基金支付比例', impact.paramsUsed.fundShareRuleZh],
    ...(share ? ([['医疗服务收入占比', share.methodZh]] as [string, string][]) : []),
    ...impact.warnings.map((w) => ['提示', w] as [string, string]),
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
