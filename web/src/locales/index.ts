/**
 * vue-i18n with one catalogue per area and language (locales/<lang>/<area>.json, merged here). zh-CN is the default;
 * the English toggle is kept in localStorage. Element Plus follows the same language (App.vue).
 */
import { createI18n } from 'vue-i18n';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'mspr.locale';

type Catalogue = { [key: string]: string | Catalogue };
const files = import.meta.glob<Catalogue>('./*/*.json', { eager: true, import: 'default' });

function messagesOf(locale: Locale): Catalogue {
  const out: Catalogue = {};
  for (const [file, catalogue] of Object.entries(files)) if (file.startsWith(`./${locale}/`)) Object.assign(out, catalogue);
  return out;
}

function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

const messages: Record<string, Catalogue> = { 'zh-CN': messagesOf('zh-CN'), en: messagesOf('en') };

export const i18n = createI18n({ legacy: false, locale: storedLocale(), fallbackLocale: 'zh-CN', messages });

export function setLocale(locale: Locale): void {
  (i18n.global.locale as unknown as { value: string }).value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    /* private mode: the choice lasts for this page */
  }
}
