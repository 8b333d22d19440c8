// The order being built: start it from an order (change, repeat) or a dish (a suggestion).
import type { Menu, Order, OrderBody } from '../lib/types';

export type Draft = { comboId: string; dishes: Record<string, string>; extras: Record<string, number>; note: string };

export const emptyDraft: Draft = { comboId: '', dishes: {}, extras: {}, note: '' };

/** The same choices where the menu still offers them. */
export function draftFromOrder(menu: Menu, order: Order): Draft {
  const combo = menu.combos.find((c) => c.id === order.combo_id);
  const dishes: Record<string, string> = {};
  for (const d of order.dishes) {
    const dish = menu.dishes.find((x) => x.id === d.dish_id && x.available);
    if (combo && dish && combo.categories.includes(d.category)) dishes[d.category] = dish.id;
  }
  const extras: Record<string, number> = {};
  for (const e of order.extras) {
    if (menu.extras.some((x) => x.id === e.extra_id && x.available)) extras[e.extra_id] = e.qty;
  }
  return { comboId: combo?.id ?? '', dishes, extras, note: order.note };
}

/** The cheapest combo that has the dish's category, with that dish chosen. */
export function draftWithDish(menu: Menu, dishId: string): Draft {
  const dish = menu.dishes.find((d) => d.id === dishId);
  if (!dish) return emptyDraft;
  const combo = menu.combos.filter((c) => c.categories.includes(dish.category)).sort((a, b) => a.price - b.price)[0];
  if (!combo) return emptyDraft;
  return { ...emptyDraft, comboId: combo.id, dishes: { [dish.category]: dish.id } };
}

export function bodyOf(menu: Menu, date: string, draft: Draft): OrderBody {
  const combo = menu.combos.find((c) => c.id === draft.comboId);
  const dishes: Record<string, string> = {};
  for (const category of combo?.categories ?? []) {
    const id = draft.dishes[category];
    if (id) dishes[category] = id;
  }
  return {
    cafe_id: menu.cafe.id,
    date,
    combo_id: draft.comboId,
    dishes,
    extras: Object.entries(draft.extras)
      .filter(([, qty]) => qty > 0)
      .map(([extra_id, qty]) => ({ extra_id, qty })),
    note: draft.note.trim(),
  };
}
