// Short labels shared by the employee screens.
import { t, tMaybe } from '../i18n';
import { deadlineState } from '../lib/deadline';
import { addDays, clock, day, dayShort } from '../lib/format';
import type { Cafe } from '../lib/types';

export function dayLabel(date: string, today: string, short = false): string {
  if (date === today) return t('today');
  if (date === addDays(today, 1)) return t('tomorrow');
  return short ? dayShort(date) : day(date);
}

export function categoryLabel(category: string): string {
  return tMaybe(`category_${category}`) ?? category.charAt(0).toUpperCase() + category.slice(1);
}

/** "closes in 12 min", "open until 11:00", "closed at 11:00", "not serving this day". */
export function stateLabel(cafe: Cafe, now: Date): { text: string; tone: 'open' | 'soon' | 'closed' } {
  const state = deadlineState(cafe, now);
  switch (state.kind) {
    case 'inactive':
      return { text: t('state_inactive'), tone: 'closed' };
    case 'not_serving':
      return { text: t('state_not_serving'), tone: 'closed' };
    case 'closed':
      return {
        text: state.at ? t('state_closed', { time: clock(state.at, cafe.timezone) }) : t('state_closed_plain'),
        tone: 'closed',
      };
    case 'soon':
      return { text: t('state_soon', { n: state.minutes }), tone: 'soon' };
    case 'open':
      return { text: t('state_hours', { time: clock(state.at, cafe.timezone), n: state.hours }), tone: 'open' };
  }
}
