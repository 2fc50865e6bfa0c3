import type { OptimiserItem } from './model';

/** Test items of the optimiser (a fixture module: named .spec.ts so that builds leave it out): a level-3 labour item unless told otherwise. */
export const item = (over: Partial<OptimiserItem> & Pick<OptimiserItem, 'itemCode' | 'oldPriceFen' | 'quantity'>): OptimiserItem => ({
  name: over.itemCode,
  level: 3,
  categoryCode: 'nursing',
  family: 'labour',
  ...over,
});

// Recovery rates: A 50% (gap 1), B 83% (gap 0.2), C 200% (gap 0.5, equipment), D 20% (gap 4, mixed), E 91% (gap 0.1)
export const A = item({ itemCode: 'A', name: '一级护理', oldPriceFen: 1000, quantity: 100, unitCostFen: 2000, labourShare: 0.8 });
export const B = item({ itemCode: 'B', name: '阑尾切除术', categoryCode: 'surgery', oldPriceFen: 10000, quantity: 10, unitCostFen: 12000, labourShare: 0.7 });
export const C = item({ itemCode: 'C', name: 'CT平扫', categoryCode: 'imaging', family: 'equipment', oldPriceFen: 20000, quantity: 5, unitCostFen: 10000, labourShare: 0.2 });
export const D = item({ itemCode: 'D', name: '综合诊疗', categoryCode: 'clinical', family: 'mixed', oldPriceFen: 1000, quantity: 200, unitCostFen: 5000 });
export const E = item({ itemCode: 'E', name: '特级护理', oldPriceFen: 1000, quantity: 1000, unitCostFen: 1100, labourShare: 0.9 });
