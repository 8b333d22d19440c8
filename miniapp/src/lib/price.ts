// The order's rules as the server applies them (domain/order.py: price_order), so the
// summary and the MainButton show the same total and refusal the server would.
import type { Menu, OrderBody } from './types';

export const MAX_EXTRA_QTY = 10;
export const MAX_EXTRA_LINES = 20;

export type Check =
  | { ok: true; total: number; lines: { label: string; amount: number; qty: number }[] }
  | { ok: false; code: 'invalid_combo' | 'dish_unavailable' | 'invalid_request'; missing: string[] };

/** The total in minor units, or why the server would refuse this order. */
export function checkOrder(menu: Menu, body: Pick<OrderBody, 'combo_id' | 'dishes' | 'extras'>): Check {
  const combo = menu.combos.find((c) => c.id === body.combo_id);
  if (!combo) return { ok: false, code: 'invalid_combo', missing: [] };
  const chosen = new Map(Object.entries(body.dishes).map(([k, v]) => [k.toLowerCase(), v]));
  const missing = combo.categories.filter((c) => !chosen.has(c));
  const extraKeys = [...chosen.keys()].filter((c) => !combo.categories.includes(c));
  if (missing.length || extraKeys.length || chosen.size !== Object.keys(body.dishes).length) {
    return { ok: false, code: 'invalid_combo', missing };
  }
  for (const category of combo.categories) {
    const dish = menu.dishes.find((d) => d.id === chosen.get(category));
    if (!dish || dish.category !== category) return { ok: false, code: 'invalid_combo', missing: [] };
    if (!dish.available) return { ok: false, code: 'dish_unavailable', missing: [] };
  }
  if (body.extras.length > MAX_EXTRA_LINES) return { ok: false, code: 'invalid_request', missing: [] };
  if (new Set(body.extras.map((e) => e.extra_id)).size !== body.extras.length) {
    return { ok: false, code: 'invalid_request', missing: [] };
  }
  const lines = [{ label: combo.name, amount: combo.price, qty: 1 }];
  let total = combo.price;
  for (const line of body.extras) {
    if (!Number.isInteger(line.qty) || line.qty < 1 || line.qty > MAX_EXTRA_QTY) {
      return { ok: false, code: 'invalid_request', missing: [] };
    }
    const extra = menu.extras.find((e) => e.id === line.extra_id);
    if (!extra) return { ok: false, code: 'invalid_request', missing: [] };
    if (!extra.available) return { ok: false, code: 'dish_unavailable', missing: [] };
    lines.push({ label: extra.name, amount: extra.price * line.qty, qty: line.qty });
    total += extra.price * line.qty;
  }
  return { ok: true, total, lines };
}
