// Money, dates and times for people, in the current language and the cafe's time zone.
import { currentLang } from '../i18n';

const locale = () => (currentLang() === 'en' ? 'en-GB' : 'ru-RU');

/** 45000, "RUB" → "450 ₽"; kopecks shown only when there are any. */
export function money(minor: number, currency = 'RUB', lang = currentLang()): string {
  const whole = minor % 100 === 0;
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'ru-RU', {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(minor / 100);
}

/** "11:00" of an instant, on the wall clock of `timeZone`. */
export function clock(iso: string, timeZone: string, lang = currentLang()): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ru-RU', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(new Date(iso));
}

/** "Tue 1" of a calendar date, for the row of day chips. */
export function dayShort(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { weekday: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, d ?? 1)),
  );
}

/** "Mon, 30 Nov" of a calendar date (YYYY-MM-DD), independent of any time zone. */
export function day(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, d ?? 1)));
}

/** The calendar date of an instant in `timeZone`, as YYYY-MM-DD. */
export function dateIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone,
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, (d ?? 1) + n)).toISOString().slice(0, 10);
}
