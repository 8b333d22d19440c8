// A cafe-day's ordering state for the list: open, closing soon, closed, not serving.
import type { Cafe } from './types';

export const SOON_MINUTES = 60;

export type Deadline =
  | { kind: 'not_serving' }
  | { kind: 'inactive' }
  | { kind: 'closed'; at: string | null }
  | { kind: 'soon'; minutes: number; at: string }
  | { kind: 'open'; hours: number; at: string };

/** Decided from instants only, so a phone in any time zone agrees with the cafe. */
export function deadlineState(cafe: Pick<Cafe, 'deadline' | 'ordering_open' | 'active'>, now: Date): Deadline {
  if (!cafe.active) return { kind: 'inactive' };
  if (!cafe.deadline) return { kind: 'not_serving' };
  const left = Date.parse(cafe.deadline) - now.getTime();
  // Closed early: the scheduled deadline is not when it closed, so no time is shown.
  if (!cafe.ordering_open || left <= 0) return { kind: 'closed', at: left <= 0 ? cafe.deadline : null };
  const minutes = Math.ceil(left / 60_000);
  if (minutes <= SOON_MINUTES) return { kind: 'soon', minutes, at: cafe.deadline };
  return { kind: 'open', hours: Math.floor(minutes / 60), at: cafe.deadline };
}

/** Milliseconds until the displayed state next changes (the next whole minute), for a timer. */
export function nextTick(now: Date): number {
  return 60_000 - (now.getTime() % 60_000) + 50;
}
