// The API's bodies as the Mini App reads them (CONTRACT.md, snake_case).
export type Role = 'employee' | 'manager' | 'auditor';
export type User = { tg_id: number; name: string; office: string; role: Role };

export type Cafe = {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  active: boolean;
  linked: boolean;
  deadline: string | null;
  ordering_open: boolean;
  date?: string;
  weekdays?: number[];
  cutoff?: string | null;
};

export type Dish = {
  id: string;
  name: string;
  category: string;
  price: number;
  available: boolean;
  description: string;
  tags: string[];
};
export type Combo = { id: string; name: string; price: number; categories: string[] };
export type Extra = { id: string; name: string; price: number; available: boolean };
export type Menu = { cafe: Cafe; dishes: Dish[]; combos: Combo[]; extras: Extra[] };

export type ExtraLine = { extra_id: string; qty: number };
export type OrderBody = {
  cafe_id: string;
  date: string;
  combo_id: string;
  dishes: Record<string, string>;
  extras: ExtraLine[];
  note: string;
};

export type Order = {
  id: string;
  tg_id: number;
  cafe_id: string;
  cafe_name: string;
  date: string;
  combo_id: string;
  combo_name: string;
  dishes: { category: string; dish_id: string; name: string }[];
  extras: { extra_id: string; name: string; qty: number; price: number }[];
  total: number;
  currency?: string;
  note: string;
  status: 'placed' | 'cancelled' | 'rejected';
  placed_at: string;
  updated_at: string;
  editable_until: string | null;
};

export type Me = User & {
  monthly_limit: number | null;
  spent_this_month: number;
  orders_this_month: number;
};

export type Recommendation = { cafe_id: string; dish_id: string; name: string; reason: string };
export type Recommendations = { generated_at: string; source: string; items: Recommendation[] };
