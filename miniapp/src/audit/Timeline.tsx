// One order's events, oldest first, and the order as it stood at a chosen moment.
import { useState } from 'preact/hooks';
import { ApiError, get } from '../lib/api';
import { explain } from '../lib/errors';
import { money } from '../lib/format';
import type { Order } from '../lib/types';
import { useLoad } from '../app/hooks';
import { Banner, Cell, Section, Skeleton } from '../app/ui';
import { Field, TextInput } from '../manager/form';
import { mt } from '../manager/i18n';

type Event = { version: number; type: string; at: string; actor: string; data: Record<string, unknown> };

function when(iso: string): string {
  return new Date(iso).toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'ru-RU', {
    dateStyle: 'short',
    timeStyle: 'medium',
  });
}

function summary(data: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof data.combo === 'object' && data.combo && 'name' in data.combo)
    parts.push(String((data.combo as { name: unknown }).name));
  if (Array.isArray(data.dishes)) parts.push(data.dishes.map((d) => (d as { name?: string }).name ?? '').join(', '));
  if (typeof data.total === 'number') parts.push(money(data.total));
  if (typeof data.reason === 'string' && data.reason) parts.push(data.reason);
  return parts.filter(Boolean).join(' · ');
}

/** A datetime-local value ("2026-11-30T10:15") as an instant with the phone's offset. */
function withOffset(local: string): string {
  return new Date(local).toISOString();
}

export function Timeline({ orderId }: { orderId: string }) {
  const events = useLoad(() => get<Event[]>(`/audit/orders/${orderId}/events`), [orderId]);
  const [moment, setMoment] = useState('');
  const state = useLoad(
    () =>
      moment
        ? get<Order>(`/audit/orders/${orderId}?as_of=${encodeURIComponent(withOffset(moment))}`).catch((e: unknown) => {
            if (e instanceof ApiError && e.status === 404) return null;
            throw e;
          })
        : Promise.resolve(undefined),
    [orderId, moment],
  );
  if (events.error) return <Banner tone="error">{explain(events.error)}</Banner>;
  if (!events.data) return <Skeleton rows={4} />;
  return (
    <>
      <p class="page-subtitle">{orderId}</p>
      <Section title={mt('timeline')}>
        {events.data.map((e) => (
          <Cell
            key={e.version}
            testId="audit-event"
            title={e.type}
            subtitle={[when(e.at), mt('by', { actor: e.actor }), summary(e.data)].filter(Boolean).join(' · ')}
          />
        ))}
      </Section>
      <Section title={mt('as_of')} footer={mt('as_of_hint')}>
        <Field label={mt('date')}>
          <TextInput type="datetime-local" value={moment} onInput={setMoment} testId="as-of" />
        </Field>
        {state.error ? (
          <Banner tone="error">{explain(state.error)}</Banner>
        ) : state.data === null ? (
          <Cell title={mt('not_existing_yet')} />
        ) : state.data ? (
          <Cell
            title={`${state.data.combo_name} · ${state.data.status}`}
            subtitle={state.data.dishes.map((d) => d.name).join(', ')}
            after={money(state.data.total, state.data.currency)}
          />
        ) : null}
      </Section>
    </>
  );
}
