// Cafes: the list, a new one, and one cafe's menu, combos, schedule, dispatches and closing.
import { useState } from 'preact/hooks';
import { call, get } from '../lib/api';
import { explain } from '../lib/errors';
import { day } from '../lib/format';
import type { Cafe, Menu } from '../lib/types';
import { confirm, haptic } from '../telegram';
import { useLoad, useNow } from '../app/hooks';
import { go } from '../app/router';
import { Banner, Cell, Chips, Section, Skeleton } from '../app/ui';
import { stateLabel } from '../employee/labels';
import { Dispatches } from './Dispatches';
import { Field, TextInput } from './form';
import { mt } from './i18n';
import { CombosEditor, MenuEditor } from './MenuEditor';
import { ScheduleEditor } from './Schedule';

export function Cafes() {
  const cafes = useLoad(() => get<Cafe[]>('/cafes'), []);
  const now = useNow();
  const [name, setName] = useState('');
  const [zone, setZone] = useState('Europe/Moscow');
  const [error, setError] = useState<unknown>(null);
  const create = async () => {
    try {
      const cafe = await call<Cafe>('POST', '/cafes', { name: name.trim(), timezone: zone.trim() });
      haptic.success();
      go(`m/cafes/${cafe.id}`);
    } catch (e) {
      haptic.error();
      setError(e);
    }
  };
  return (
    <>
      <h1 class="page-title">{mt('cafes')}</h1>
      {cafes.error ? (
        <Banner tone="error">{explain(cafes.error)}</Banner>
      ) : !cafes.data ? (
        <Skeleton rows={3} />
      ) : (
        <Section>
          {cafes.data.map((c) => (
            <Cell
              key={c.id}
              testId="m-cafe"
              title={c.name}
              subtitle={`${stateLabel(c, now).text} · ${c.linked ? mt('linked') : mt('not_linked')}`}
              chevron
              onClick={() => go(`m/cafes/${c.id}`)}
            />
          ))}
        </Section>
      )}
      <Section title={mt('new_cafe')}>
        {error !== null && <Banner tone="error">{explain(error)}</Banner>}
        <Field label={mt('cafe_name')}>
          <TextInput value={name} onInput={setName} testId="new-cafe-name" />
        </Field>
        <Field label={mt('timezone')}>
          <TextInput value={zone} onInput={setZone} />
        </Field>
        <Cell
          title={mt('create')}
          tone="accent"
          disabled={!name.trim() || !zone.trim()}
          onClick={() => void create()}
          testId="create-cafe"
        />
      </Section>
    </>
  );
}

const TABS = ['menu', 'combos', 'schedule', 'dispatches'] as const;

export function CafeScreen(props: { cafeId: string; tab: string }) {
  const menu = useLoad(() => get<Menu>(`/cafes/${props.cafeId}/menu`), [props.cafeId]);
  const [tab, setTab] = useState(props.tab);
  if (menu.error) return <Banner tone="error">{explain(menu.error)}</Banner>;
  if (!menu.data) return <Skeleton rows={6} />;
  const cafe = menu.data.cafe;
  return (
    <>
      <h1 class="page-title">{cafe.name}</h1>
      <p class="page-subtitle">{cafe.timezone}</p>
      <div class="day-chips">
        <Chips
          value={tab}
          onChange={setTab}
          testId="cafe-tabs"
          options={TABS.map((x) => ({ value: x, label: mt(x) }))}
        />
      </div>
      {tab === 'menu' && <MenuEditor menu={menu.data} onSaved={menu.reload} />}
      {tab === 'combos' && <CombosEditor menu={menu.data} onSaved={menu.reload} />}
      {tab === 'schedule' && <ScheduleEditor cafe={cafe} onSaved={menu.reload} />}
      {tab === 'dispatches' && <Dispatches cafe={cafe} />}
      <CafeActions cafe={cafe} onChanged={menu.reload} />
    </>
  );
}

function CafeActions({ cafe, onChanged }: { cafe: Cafe; onChanged: () => void }) {
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const date = cafe.date ?? '';
  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      haptic.success();
      setNote(done);
      setError(null);
      onChanged();
    } catch (e) {
      haptic.error();
      setError(e);
    }
  };
  const close = async () => {
    if (!(await confirm(mt('close_confirm', { cafe: cafe.name, date: day(date) })))) return;
    await act(() => call('POST', `/cafes/${cafe.id}/close`, { date }), mt('closed_now', { date: day(date) }));
  };
  return (
    <Section>
      {note && <Banner tone="success">{note}</Banner>}
      {error !== null && <Banner tone="error">{explain(error)}</Banner>}
      {cafe.ordering_open && (
        <Cell title={mt('close_today')} tone="danger" onClick={() => void close()} testId="close-today" />
      )}
      <Cell
        title={cafe.active ? mt('deactivate') : mt('activate')}
        tone={cafe.active ? 'danger' : 'accent'}
        onClick={() => void act(() => call('PATCH', `/cafes/${cafe.id}`, { active: !cafe.active }), mt('saved'))}
      />
    </Section>
  );
}
