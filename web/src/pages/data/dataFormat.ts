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

/** Seconds as 秒 / 分 秒 / 小时 分 (or s / min s / h min in English). */
export function seconds(s: number, lang: 'zh' | 'en' = 'zh'): string {
  const n = Math.max(0, Math.round(s));
  const [sec, min, hour] = lang === 'en' ? ['s', 'min', 'h'] : ['秒', '分', '小时'];
  if (n < 60) return `${n} ${sec}`;
  if (n < 3600) return `${Math.floor(n / 60)} ${min} ${n % 60} ${sec}`;
  return `${Math.floor(n / 3600)} ${hour} ${Math.floor((n % 3600) / 60)} ${min}`;
}

/** An instant as local YYYY-MM-DD HH:mm. */
export function dateTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
