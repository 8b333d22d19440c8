import { describe, expect, it } from 'vitest';
import { money } from '../src/lib/format';

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money', () => {
  it('writes whole roubles without kopecks, in each language', () => {
    expect(plain(money(45000, 'RUB', 'ru'))).toBe('450 ₽');
    expect(plain(money(145000, 'RUB', 'ru'))).toBe('1 450 ₽');
    expect(plain(money(45050, 'RUB', 'ru'))).toBe('450,50 ₽');
    expect(money(45000, 'RUB', 'en')).toBe('₽450');
  });
});
