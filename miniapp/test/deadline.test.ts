import { describe, expect, it } from 'vitest';
import { deadlineState, nextTick } from '../src/lib/deadline';
import { clock, dateIn } from '../src/lib/format';

const cafe = (deadline: string | null, open = true) => ({ deadline, ordering_open: open, active: true });

describe('deadline state from instants', () => {
  // 11:00 in Moscow is 08:00 UTC; the same instant whatever zone the phone is in.
  const deadline = '2026-11-30T11:00:00+03:00';
  it('open with hours left', () => {
    expect(deadlineState(cafe(deadline), new Date('2026-11-30T05:00:00Z'))).toEqual({
      kind: 'open',
      hours: 3,
      at: deadline,
    });
  });
  it('closes in 12 minutes, counted up to the minute', () => {
    expect(deadlineState(cafe(deadline), new Date('2026-11-30T07:48:00Z'))).toMatchObject({
      kind: 'soon',
      minutes: 12,
    });
    expect(deadlineState(cafe(deadline), new Date('2026-11-30T07:48:30Z'))).toMatchObject({
      kind: 'soon',
      minutes: 12,
    });
    expect(deadlineState(cafe(deadline), new Date('2026-11-30T07:59:59Z'))).toMatchObject({ kind: 'soon', minutes: 1 });
  });
  it('closed at the deadline and after; closed early even before it', () => {
    expect(deadlineState(cafe(deadline), new Date('2026-11-30T08:00:00Z'))).toMatchObject({ kind: 'closed' });
    expect(deadlineState(cafe(deadline), new Date('2026-11-30T08:00:00Z'))).toMatchObject({ at: deadline });
    expect(deadlineState(cafe(deadline, false), new Date('2026-11-30T06:00:00Z'))).toEqual({
      kind: 'closed',
      at: null,
    });
  });
  it('not serving without a deadline; inactive cafes say so', () => {
    expect(deadlineState(cafe(null), new Date())).toEqual({ kind: 'not_serving' });
    expect(deadlineState({ deadline, ordering_open: true, active: false }, new Date())).toEqual({ kind: 'inactive' });
  });
  it('a deadline written with another offset is the same instant', () => {
    const vladivostok = '2026-11-30T18:00:00+10:00';
    const now = new Date('2026-11-30T07:30:00Z');
    expect(deadlineState(cafe(vladivostok), now)).toMatchObject({ kind: 'soon', minutes: 30 });
    expect(deadlineState(cafe(deadline), now)).toMatchObject({ kind: 'soon', minutes: 30 });
  });
  it('the next tick lands just after the next whole minute', () => {
    const wait = nextTick(new Date('2026-11-30T07:48:30.000Z'));
    expect(wait).toBeGreaterThan(30_000);
    expect(wait).toBeLessThan(31_000);
  });
});

describe('the cafe clock and the cafe date', () => {
  const instant = '2026-11-30T08:00:00Z';
  it('shows the deadline on the cafe wall clock', () => {
    expect(clock(instant, 'Europe/Moscow', 'ru')).toBe('11:00');
    expect(clock(instant, 'Asia/Vladivostok', 'ru')).toBe('18:00');
    expect(clock(instant, 'Europe/Kaliningrad', 'en')).toBe('10:00');
    expect(clock(instant, 'America/New_York', 'en')).toBe('03:00');
  });
  it('knows the date there, which may differ from the phone’s', () => {
    const lateUtc = new Date('2026-11-30T22:30:00Z');
    expect(dateIn(lateUtc, 'UTC')).toBe('2026-11-30');
    expect(dateIn(lateUtc, 'Europe/Moscow')).toBe('2026-12-01');
    expect(dateIn(lateUtc, 'America/Los_Angeles')).toBe('2026-11-30');
  });
});
