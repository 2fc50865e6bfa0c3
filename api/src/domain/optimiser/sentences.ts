/**
 * The optimiser's Chinese sentences: why a price moved where it did (reasonZh, one per proposed change), what a
 * conflict of the settings means and how far it is from being resolved (conflictMessage), and the per-row limits in
 * money (boundsMessage). Amounts in 元/万元/亿元 by formatFenAuto; percentages exact (percentText).
 */
import { formatFenAuto, type Fen } from '../money';
import { percentText, type Ratio } from '../rational';
import { FIXED_REASON_ZH, type ConstraintName, type FixedReason, type OptimiserBinding, type OptimiserItem, type PreparedModel } from './model';

export const fmt = formatFenAuto;
export const pctR = (r: Ratio, decimals = 1): string => percentText(r, decimals);
export const pctQ = (n: number, d: number, decimals = 1): string => percentText({ n: BigInt(n), d: BigInt(d) }, decimals);
export const pctN = (x: number, decimals = 1): string => percentText(x, decimals);


function boundsMessage(m: PreparedModel): string {
  const s = m.settings;
  const c = m.capacity;
  const excl = (Object.entries(m.excluded) as [FixedReason, number][]).filter(([, k]) => k > 0);
  const exclText = excl.length ? `；另有${excl.reduce((a, [, k]) => a + k, 0)}条不可调整（${excl.map(([r, k]) => `${FIXED_REASON_ZH[r]}${k}条`).join('、')}）` : '';
  return (
    `在单项限制下（调价幅度上限${pctR(s.cap)}、降价不低于成本、上调不超过成本的${pctR(s.target)}），` +
    `最多可上调${fmt(c.upFen)}（其中技术劳务项目${fmt(c.labourUpFen)}），最多可下调${fmt(c.downFen)}${exclText}。`
  );
}

const FAMILY_ZH: Readonly<Record<OptimiserItem['family'], string>> = { labour: '技术劳务类', equipment: '设备物耗类', mixed: '综合类' };

export function conflictMessage(m: PreparedModel, g: ConstraintName, relaxFen: Fen | null, floorFromLp: boolean): string {
  const s = m.settings;
  switch (g) {
    case 'total':
      return `净调价金额不得超过调价总量${fmt(s.totalFen)}` + (relaxFen !== null ? `；与其他约束相容至少需将调价总量提高${fmt(relaxFen)}。` : '。');
    case 'min_net':
      return (
        `净调价金额不得低于${fmt(s.minNetFen ?? 0)}` +
        (relaxFen !== null ? `；在其他约束下净调价最多为${fmt((s.minNetFen ?? 0) - relaxFen)}，差${fmt(relaxFen)}。` : '。')
      );
    case 'labour_rule':
      return (
        `技术劳务项目须占上调金额的${pctR(s.rule)}以上，可上调的技术劳务项目上调空间合计${fmt(m.capacity.labourUpFen)}` +
        (relaxFen !== null ? `；在其他约束下，技术劳务项目上调金额距上调总额的${pctR(s.rule)}至少还差${fmt(relaxFen)}。` : '。')
      );
    case 'item_share_floor':
      return (
        `至少需调整${m.requiredItems}项（项目总数${m.itemCount}项 × ${pctN(s.itemShareFloor)}），` +
        (floorFromLp
          ? `为补足项目数而对新增项目设定的最小调幅（原价的${pctR(s.step)}，至少1分）与其他约束冲突。`
          : `但在现有设置下只有${m.movableItemCount}项可以调整。`)
      );
    case 'item_bounds':
      return boundsMessage(m);
    case 'direction_rules':
      return (
        `按调价方向设置，${s.noRaiseOn.length ? `${s.noRaiseOn.map((f) => FAMILY_ZH[f]).join('、')}项目不上调` : '各类项目均可上调'}，` +
        `${s.allowCutsOn.length ? `只有${s.allowCutsOn.map((f) => FAMILY_ZH[f]).join('、')}项目可下调` : '任何项目都不下调'}` +
        `${s.raiseLabourItemsOnly ? `，且只上调技术劳务占比超过${pctN(s.labourItemThreshold)}的项目` : ''}。`
      );
    case 'integer_rounding':
      return '按整分取整后无法同时满足调价总量、最低净调价金额与技术劳务占比要求（服务量与金额不能整除），请略微放宽其中一项。';
  }
}

function kindText(it: OptimiserItem, labour: boolean): string {
  if (labour) return it.labourShare != null ? `技术劳务占比${pctN(it.labourShare, 0)}的技术劳务项目` : '技术劳务项目';
  if (it.family === 'equipment') return '设备物耗为主的项目';
  return it.family === 'labour' ? '技术劳务类项目（劳务占比未达标）' : '综合类项目';
}

function whyText(m: PreparedModel, b: OptimiserBinding, dir: 'up' | 'down'): string {
  const s = m.settings;
  switch (b) {
    case 'cap':
      return `受调价幅度上限${pctR(s.cap)}约束`;
    case 'cost':
      if (dir === 'down') return '已降至成本，不再低于成本';
      return s.targetRecovery === 1 ? '已调至成本' : `已达目标回收率${pctR(s.target)}`;
    case 'total':
      return '调价总量已用尽，为边际项目';
    case 'labour_rule':
      return `受技术劳务项目占上调金额${pctR(s.rule)}以上的要求约束`;
    case 'min_net':
      return `受最低净调价金额${fmt(s.minNetFen ?? 0)}约束`;
    case 'item_share_floor':
      return `为满足调价项目数比例下限${pctN(s.itemShareFloor)}而小幅调整`;
    default:
      return '未受其他约束';
  }
}

export function reasonZh(m: PreparedModel, it: OptimiserItem, labour: boolean, dir: 'up' | 'down', delta: number, b: OptimiserBinding): string {
  const c = it.unitCostFen ?? 0;
  const p0 = it.oldPriceFen;
  const p1 = p0 + delta;
  return (
    `成本回收率${pctQ(p0, c)}，${kindText(it, labour)}，${dir === 'up' ? '上调' : '下调'}${pctQ(Math.abs(delta), p0)}` +
    `至成本的${pctQ(p1, c)}（${whyText(m, b, dir)}）`
  );
}
