import { describe, expect, it } from 'vitest';
import { checkOrder } from '../src/lib/price';
import type { ExtraLine, Menu } from '../src/lib/types';
import fixtures from './fixtures/pricing.json';

const cafe = {
  id: 'c',
  name: 'Cafe',
  timezone: 'Europe/Moscow',
  currency: 'RUB',
  active: true,
  linked: true,
  deadline: null,
  ordering_open: true,
};
const menu = { ...fixtures.menu, cafe } as Menu;
type Case = {
  name: string;
  combo_id: string;
  dishes: Record<string, string>;
  extras: ExtraLine[];
  total?: number;
  error?: string;
};
const cases = fixtures.cases as unknown as Case[];

describe('checkOrder agrees with the server on the shared fixtures', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = checkOrder(menu, { combo_id: c.combo_id, dishes: c.dishes, extras: c.extras });
      if (c.total !== undefined) {
        expect(result).toMatchObject({ ok: true, total: c.total });
      } else {
        expect(result).toMatchObject({ ok: false, code: c.error });
      }
    });
  }
});

describe('checkOrder explains what is missing', () => {
  it('names the categories still to choose', () => {
    const result = checkOrder(menu, { combo_id: fixtures.menu.combos[1]!.id, dishes: {}, extras: [] });
    expect(result).toEqual({ ok: false, code: 'invalid_combo', missing: ['salad', 'soup', 'main'] });
  });
  it('breaks the total into the combo and each extra line', () => {
    const c = cases[1]!;
    const result = checkOrder(menu, { combo_id: c.combo_id, dishes: c.dishes, extras: c.extras });
    expect(result.ok && result.lines.map((l) => [l.label, l.amount])).toEqual([
      ['Soup + main', 45000],
      ['Bread', 3000],
      ['Mors', 9900],
    ]);
  });
});
