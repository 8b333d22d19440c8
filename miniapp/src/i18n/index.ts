// The current language (Telegram's language_code, default Russian) and the t() lookup.
import { en, type Dict, type Key } from './en';
import { ru } from './ru';
import { render } from './plural';

export type Lang = 'ru' | 'en';
const dicts: Record<Lang, Dict> = { ru, en };

export function pickLang(code: string | null | undefined): Lang {
  return code && code.toLowerCase().startsWith('en') ? 'en' : 'ru';
}

let lang: Lang = 'ru';
export function setLang(next: Lang): void {
  lang = next;
  document.documentElement.lang = next;
}
export function currentLang(): Lang {
  return lang;
}

export function t(key: Key, vars?: Record<string, string | number>): string {
  return render(lang, dicts[lang][key], vars);
}

/** A dictionary key built at run time (tags, categories, error codes), or null when unknown. */
export function tMaybe(key: string, vars?: Record<string, string | number>): string | null {
  const entry = (dicts[lang] as Record<string, Dict[Key] | undefined>)[key];
  return entry === undefined ? null : render(lang, entry, vars);
}

export function dictFor(l: Lang): Dict {
  return dicts[l];
}
