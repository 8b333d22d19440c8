import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en';
import { ru } from '../src/i18n/ru';
import { render } from '../src/i18n/plural';

describe('Russian plural forms', () => {
  const cases: [number, string][] = [
    [1, '1 заказ'],
    [2, '2 заказа'],
    [4, '4 заказа'],
    [5, '5 заказов'],
    [11, '11 заказов'],
    [12, '12 заказов'],
    [14, '14 заказов'],
    [21, '21 заказ'],
    [22, '22 заказа'],
    [25, '25 заказов'],
    [101, '101 заказ'],
    [111, '111 заказов'],
    [0, '0 заказов'],
  ];
  for (const [n, text] of cases) {
    it(`${n} → ${text}`, () => expect(render('ru', ru.orders_count, { n })).toBe(text));
  }
  it('minutes left before closing', () => {
    expect(render('ru', ru.state_soon, { n: 1 })).toBe('закроется через 1 минуту');
    expect(render('ru', ru.state_soon, { n: 3 })).toBe('закроется через 3 минуты');
    expect(render('ru', ru.state_soon, { n: 12 })).toBe('закроется через 12 минут');
    expect(render('ru', ru.pick_more, { n: 2 })).toBe('Выберите ещё 2 блюда');
    expect(render('ru', ru.pick_more, { n: 5 })).toBe('Выберите ещё 5 блюд');
  });
});

describe('English plural forms', () => {
  it('one and other', () => {
    expect(render('en', en.orders_count, { n: 1 })).toBe('1 order');
    expect(render('en', en.orders_count, { n: 2 })).toBe('2 orders');
    expect(render('en', en.pick_more, { n: 1 })).toBe('Choose 1 more dish');
  });
});

describe('the dictionaries', () => {
  it('have the same keys, and the same placeholders in every entry', () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
    const holes = (entry: unknown) => [...JSON.stringify(entry).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect([...new Set(holes(ru[key]))], key).toEqual([...new Set(holes(en[key]))]);
    }
  });
});
