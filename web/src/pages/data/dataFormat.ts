/** Sizes, durations and times of the 数据管理 page, as a pricing official reads them. */

/** Bytes as KB / MB / GB (binary units, one decimal; whole bytes below 1 KB). */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : +v.toFixed(1)} ${units[i]}`;
}

/** Seconds as 秒 / 分 秒 / 小时 分. */
export function seconds(s: number): string {
  const n = Math.max(0, Math.round(s));
  if (n < 60) return `${n} 秒`;
  if (n < 3600) return `${Math.floor(n / 60)} 分 ${n % 60} 秒`;
  return `${Math.floor(n / 3600)} 小时 ${Math.floor((n % 3600) / 60)} 分`;
}

/** An instant as local YYYY-MM-DD HH:mm. */
export function dateTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
