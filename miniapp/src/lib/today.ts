// The office's today (the server's, from the cafe list), remembered for the session.
import { get } from './api';
import { dateIn } from './format';
import type { Cafe } from './types';

const KEY = 'lunch.today';

export async function officeToday(): Promise<string> {
  const known = sessionStorage.getItem(KEY);
  if (known) return known;
  const cafes = await get<Cafe[]>('/cafes');
  const today = cafes[0]?.date ?? dateIn(new Date(), 'Europe/Moscow');
  sessionStorage.setItem(KEY, today);
  return today;
}
