/**
 * An indicator value with its unit, in the user's language. Chinese is the trigger evidence's own wording
 * (domain/triggers/format.ts: "11.0%", "13.0个月", "-1.4个百分点", "133.18亿元"); English keeps the numbers and the
 * money wording (元/万元/亿元, as everywhere in the app) and spells the other units out.
 * (The domain is imported by relative path so that the unit tests, which run without the web app's alias, resolve it.)
 */
import { formatThreshold, formatValue, type DisplayUnit } from '../../../../api/src/domain/triggers';
import { fixed, plain } from '../../../../api/src/domain/triggers/format';

export type ValueLocale = 'zh-CN' | 'en';

export function indicatorValueText(value: number, unit: string, locale: ValueLocale = 'zh-CN'): string {
  if (locale !== 'en') return formatValue(value, unit as DisplayUnit);
  switch (unit) {
    case '月':
      return `${fixed(value, 1)} months`;
    case 'pp':
      return `${fixed(value, 1)} pp`;
    case '是/否':
      return value === 1 ? 'yes' : value === 0 ? 'no' : fixed(value, 2);
    case '分':
      return `${fixed(value, 1)} points`;
    case '万人':
      return `${fixed(value, 2)} × 10,000 persons`;
    default:
      return formatValue(value, unit as DisplayUnit);
  }
}

/** A threshold as written in a rule, without padding: "10%", "3个月", "0" (zh) or "10%", "3 months", "0" (en). */
export function thresholdText(value: number, unit: string, locale: ValueLocale = 'zh-CN'): string {
  if (locale !== 'en' || value === 0) return formatThreshold(value, unit as DisplayUnit);
  switch (unit) {
    case '月':
      return `${plain(value)} months`;
    case 'pp':
      return `${plain(value)} pp`;
    case '是/否':
      return value === 1 ? 'yes' : plain(value);
    case '分':
      return `${plain(value)} points`;
    default:
      return formatThreshold(value, unit as DisplayUnit);
  }
}
