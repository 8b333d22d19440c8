// Editing a cafe's dishes (with tags and the stop-list), extras and combos; saved as a whole.
import { useState } from 'preact/hooks';
import { tMaybe } from '../i18n';
import { call } from '../lib/api';
import { explain } from '../lib/errors';
import type { Menu } from '../lib/types';
import { haptic } from '../telegram';
import { useMainButton } from '../app/hooks';
import { Banner, Cell, Section } from '../app/ui';
import { Field, TextInput, Toggle, fromMinor, toMinor } from './form';
import { mt } from './i18n';

// The server's known list (domain/dish_tags.py); it refuses any other word.
export const KNOWN_TAGS = ['vegetarian', 'vegan', 'spicy', 'nuts', 'gluten_free', 'lactose_free', 'pork', 'fish'];

type Row = {
  id?: string;
  name: string;
  category: string;
  price: string;
  available: boolean;
  description: string;
  tags: string[];
};
type ExtraRow = { id?: string; name: string; price: string; available: boolean };

function useSave(save: () => Promise<unknown>, valid: boolean, onSaved: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await save();
      haptic.success();
      setSaved(true);
      onSaved();
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  useMainButton({ text: mt('save'), enabled: valid && !busy, progress: busy, onClick: () => void run() });
  return (
    <>
      {saved && !error && <Banner tone="success">{mt('saved')}</Banner>}
      {error !== null && <Banner tone="error">{explain(error)}</Banner>}
    </>
  );
}

export function MenuEditor({ menu, onSaved }: { menu: Menu; onSaved: () => void }) {
  const [dishes, setDishes] = useState<Row[]>(() =>
    menu.dishes.map((d) => ({ ...d, price: fromMinor(d.price), tags: d.tags })),
  );
  const [extras, setExtras] = useState<ExtraRow[]>(() => menu.extras.map((e) => ({ ...e, price: fromMinor(e.price) })));
  const valid =
    dishes.every((d) => d.name.trim() && d.category.trim() && toMinor(d.price) !== null) &&
    extras.every((e) => e.name.trim() && toMinor(e.price) !== null);
  const status = useSave(
    () =>
      call('PUT', `/cafes/${menu.cafe.id}/menu`, {
        dishes: dishes.map((d) => ({
          ...(d.id ? { id: d.id } : {}),
          name: d.name.trim(),
          category: d.category.trim().toLowerCase(),
          price: toMinor(d.price),
          available: d.available,
          description: d.description.trim(),
          tags: d.tags,
        })),
        extras: extras.map((e) => ({
          ...(e.id ? { id: e.id } : {}),
          name: e.name.trim(),
          price: toMinor(e.price),
          available: e.available,
        })),
      }),
    valid,
    onSaved,
  );
  const setDish = (i: number, patch: Partial<Row>) =>
    setDishes(dishes.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const setExtra = (i: number, patch: Partial<ExtraRow>) =>
    setExtras(extras.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  return (
    <>
      {status}
      <h2 class="section-title standalone">{mt('dishes')}</h2>
      {dishes.map((d, i) => (
        <Section key={d.id ?? `new-${i}`}>
          <div data-testid="dish-editor">
            <Field label={mt('name')}>
              <TextInput value={d.name} onInput={(name) => setDish(i, { name })} testId="dish-name" />
            </Field>
            <div class="row">
              <Field label={mt('category')}>
                <TextInput value={d.category} onInput={(category) => setDish(i, { category })} />
              </Field>
              <Field label={mt('price')}>
                <TextInput value={d.price} onInput={(price) => setDish(i, { price })} testId="dish-price" />
              </Field>
            </div>
            <Field label={mt('description')}>
              <TextInput value={d.description} onInput={(description) => setDish(i, { description })} />
            </Field>
            <Toggle
              label={mt('in_stock')}
              on={d.available}
              onChange={(available) => setDish(i, { available })}
              testId="dish-available"
            />
            <div class="cell tag-picker" role="group" aria-label={mt('tags')}>
              {KNOWN_TAGS.map((tag) => (
                <button
                  key={tag}
                  class={d.tags.includes(tag) ? 'chip on' : 'chip'}
                  aria-pressed={d.tags.includes(tag)}
                  data-testid={`dish-tag-${tag}`}
                  onClick={() =>
                    setDish(i, { tags: d.tags.includes(tag) ? d.tags.filter((x) => x !== tag) : [...d.tags, tag] })
                  }
                >
                  {tMaybe(`tag_${tag}`) ?? tag}
                </button>
              ))}
            </div>
            <Cell title={mt('remove')} tone="danger" onClick={() => setDishes(dishes.filter((_, j) => j !== i))} />
          </div>
        </Section>
      ))}
      <Section>
        <Cell
          title={mt('add_dish')}
          tone="accent"
          testId="add-dish"
          onClick={() =>
            setDishes([
              ...dishes,
              { name: '', category: 'main', price: '', available: true, description: '', tags: [] },
            ])
          }
        />
      </Section>
      <Section title={mt('extras')}>
        {extras.map((e, i) => (
          <div key={e.id ?? `new-${i}`} class="row extra-row">
            <Field label={mt('name')}>
              <TextInput value={e.name} onInput={(name) => setExtra(i, { name })} />
            </Field>
            <Field label={mt('price')}>
              <TextInput value={e.price} onInput={(price) => setExtra(i, { price })} />
            </Field>
            <input
              type="checkbox"
              class="switch"
              aria-label={mt('in_stock')}
              checked={e.available}
              onChange={(ev) => setExtra(i, { available: ev.currentTarget.checked })}
            />
          </div>
        ))}
        <Cell
          title={mt('add_extra')}
          tone="accent"
          onClick={() => setExtras([...extras, { name: '', price: '', available: true }])}
        />
      </Section>
    </>
  );
}

type ComboRow = { id?: string; name: string; price: string; categories: string };

export function CombosEditor({ menu, onSaved }: { menu: Menu; onSaved: () => void }) {
  const [combos, setCombos] = useState<ComboRow[]>(() =>
    menu.combos.map((c) => ({
      id: c.id,
      name: c.name,
      price: fromMinor(c.price),
      categories: c.categories.join(', '),
    })),
  );
  const parse = (text: string) =>
    text
      .split(',')
      .map((c) => c.trim().toLowerCase())
      .filter(Boolean);
  const valid = combos.every((c) => c.name.trim() && toMinor(c.price) !== null && parse(c.categories).length > 0);
  const status = useSave(
    () =>
      call('PUT', `/cafes/${menu.cafe.id}/combos`, {
        combos: combos.map((c) => ({
          ...(c.id ? { id: c.id } : {}),
          name: c.name.trim(),
          price: toMinor(c.price),
          categories: parse(c.categories),
        })),
      }),
    valid,
    onSaved,
  );
  const set = (i: number, patch: Partial<ComboRow>) =>
    setCombos(combos.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <>
      {status}
      {combos.map((c, i) => (
        <Section key={c.id ?? `new-${i}`}>
          <div class="row">
            <Field label={mt('name')}>
              <TextInput value={c.name} onInput={(name) => set(i, { name })} />
            </Field>
            <Field label={mt('price')}>
              <TextInput value={c.price} onInput={(price) => set(i, { price })} />
            </Field>
          </div>
          <Field label={mt('categories')}>
            <TextInput value={c.categories} onInput={(categories) => set(i, { categories })} />
          </Field>
          <Cell title={mt('remove')} tone="danger" onClick={() => setCombos(combos.filter((_, j) => j !== i))} />
        </Section>
      ))}
      <Section>
        <Cell
          title={mt('add_combo')}
          tone="accent"
          onClick={() => setCombos([...combos, { name: '', price: '', categories: 'soup, main' }])}
        />
      </Section>
    </>
  );
}
