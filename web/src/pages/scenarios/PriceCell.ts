/**
 * An editable price cell of the virtualised table: the new price in 元 (two decimals) or the change in %, committed
 * on Enter or blur. A plain input (not a component per cell) keeps scrolling 30,000 rows smooth.
 */
import { h, type VNode } from 'vue';

/** "12.5" (元) → 1250 fen, half away from zero; null when not a non-negative number. */
export function yuanTextToFen(text: string): number | null {
  const t = text.trim().replace(/[,，元\s]/g, '');
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const [i, f = ''] = t.split('.');
  const cents = BigInt(i) * 100n + BigInt((f + '00').slice(0, 2));
  const up = f.length > 2 && Number(f[2]) >= 5 ? 1n : 0n;
  const v = Number(cents + up);
  return Number.isSafeInteger(v) ? v : null;
}

export function priceInput(opts: { value: string; disabled: boolean; testid: string; invalid?: boolean; onCommit: (text: string) => void }): VNode {
  return h('input', {
    class: ['cell-input', opts.invalid ? 'invalid' : ''],
    value: opts.value,
    disabled: opts.disabled,
    'data-testid': opts.testid,
    onKeydown: (e: KeyboardEvent) => {
      if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
    },
    onChange: (e: Event) => opts.onCommit((e.target as HTMLInputElement).value),
  });
}
