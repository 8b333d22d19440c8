// The menu as choices: combos, a dish per category (filterable by tag), extras, the summary.
import { t } from '../i18n';
import { money } from '../lib/format';
import { MAX_EXTRA_QTY, type Check } from '../lib/price';
import type { Menu } from '../lib/types';
import { haptic } from '../telegram';
import { Cell, Radio, Section, Stepper, Tags } from '../app/ui';
import type { Draft } from './draft';
import { categoryLabel } from './labels';

type Props = { menu: Menu; draft: Draft; setDraft: (d: Draft) => void; tag: string; check: Check };

export function MenuPicker({ menu, draft, setDraft, tag, check }: Props) {
  const currency = menu.cafe.currency;
  const combo = menu.combos.find((c) => c.id === draft.comboId);
  const chooseCombo = (id: string) => {
    haptic.select();
    const next = menu.combos.find((c) => c.id === id);
    // Dishes already chosen stay chosen when the new combo has their category.
    const dishes = Object.fromEntries(Object.entries(draft.dishes).filter(([c]) => next?.categories.includes(c)));
    setDraft({ ...draft, comboId: id, dishes });
  };
  const chooseDish = (category: string, id: string) => {
    haptic.select();
    setDraft({ ...draft, dishes: { ...draft.dishes, [category]: id } });
  };
  const setQty = (id: string, qty: number) => {
    haptic.select();
    setDraft({ ...draft, extras: { ...draft.extras, [id]: qty } });
  };
  return (
    <>
      <Section title={t('choose_combo')}>
        {menu.combos.map((c) => (
          <Cell
            key={c.id}
            testId="combo"
            before={<Radio on={c.id === draft.comboId} />}
            title={c.name}
            subtitle={c.categories.map(categoryLabel).join(' · ')}
            after={money(c.price, currency)}
            selected={c.id === draft.comboId}
            onClick={() => chooseCombo(c.id)}
          />
        ))}
      </Section>
      {combo?.categories.map((category) => {
        const dishes = menu.dishes.filter(
          (d) => d.category === category && (tag === 'all' || d.tags.includes(tag) || draft.dishes[category] === d.id),
        );
        return (
          <Section title={t('choose_dish', { category: categoryLabel(category) })} key={category}>
            {dishes.map((d) => (
              <Cell
                key={d.id}
                testId={`dish-${category}`}
                before={<Radio on={draft.dishes[category] === d.id} />}
                title={d.name}
                subtitle={
                  <>
                    {d.description && <span class="description">{d.description}</span>}
                    <Tags tags={d.tags} />
                  </>
                }
                after={d.available ? undefined : <span class="muted">{t('unavailable')}</span>}
                disabled={!d.available}
                selected={draft.dishes[category] === d.id}
                onClick={() => chooseDish(category, d.id)}
              />
            ))}
          </Section>
        );
      })}
      {combo && (
        <Section title={t('extras')}>
          {menu.extras.length === 0 && <Cell title={<span class="muted">{t('no_extras')}</span>} />}
          {menu.extras.map((e) => (
            <Cell
              key={e.id}
              testId="extra"
              title={e.name}
              subtitle={e.available ? money(e.price, currency) : t('unavailable')}
              disabled={!e.available}
              after={
                e.available ? (
                  <Stepper
                    label={e.name}
                    value={draft.extras[e.id] ?? 0}
                    max={MAX_EXTRA_QTY}
                    onChange={(n) => setQty(e.id, n)}
                  />
                ) : undefined
              }
            />
          ))}
        </Section>
      )}
      {check.ok && (
        <Section title={t('summary')} id="summary">
          {check.lines.map((line, i) => (
            <Cell
              key={i}
              title={
                i === 0 ? t('combo_line', { name: line.label }) : t('extra_line', { name: line.label, n: line.qty })
              }
              after={money(line.amount, currency)}
            />
          ))}
          <Cell title={<b>{t('total')}</b>} after={<b data-testid="total">{money(check.total, currency)}</b>} />
          <label class="cell note">
            <span class="cell-main">
              <span class="cell-subtitle">{t('note')}</span>
              <textarea
                class="input"
                rows={2}
                maxLength={500}
                placeholder={t('note_placeholder')}
                value={draft.note}
                onInput={(ev) => setDraft({ ...draft, note: ev.currentTarget.value })}
              />
            </span>
          </label>
        </Section>
      )}
    </>
  );
}
