// The auditor's screens (loaded on demand): an order's story, its state at a moment, verify.
import { useState } from 'preact/hooks';
import type { ScreenProps } from '../app/App';
import { useLoad } from '../app/hooks';
import { officeToday } from '../lib/today';
import { get } from '../lib/api';
import { explain } from '../lib/errors';
import { money } from '../lib/format';
import type { Order } from '../lib/types';
import { go } from '../app/router';
import { Banner, Cell, Empty, Section, Skeleton } from '../app/ui';
import { Field, TextInput } from '../manager/form';
import { mt } from '../manager/i18n';
import { Timeline } from './Timeline';

/** Whether this server has the audit routes: its OpenAPI document lists them. */
async function auditAvailable(): Promise<boolean> {
  const response = await fetch('/schema/openapi.json');
  if (!response.ok) return false;
  const doc = (await response.json()) as { paths?: Record<string, unknown> };
  return Object.keys(doc.paths ?? {}).some((p) => p.startsWith('/api/audit/'));
}

export function Screen({ route }: ScreenProps) {
  const available = useLoad(() => officeToday().then(auditAvailable), []);
  const orderId = route.path[1];
  return (
    <>
      <h1 class="page-title">{mt('audit_title')}</h1>
      {available.loading && !available.data ? (
        <Skeleton rows={3} />
      ) : !available.data ? (
        <Banner tone="info">
          <span data-testid="audit-unavailable">{mt('not_available')}</span>
        </Banner>
      ) : orderId ? (
        <Timeline orderId={orderId} />
      ) : (
        <Finder />
      )}
    </>
  );
}

function Finder() {
  const [typed, setTyped] = useState('');
  const [date, setDate] = useState(sessionStorage.getItem('lunch.today') ?? '');
  const orders = useLoad(() => get<Order[]>(`/orders?date=${date}`), [date]);
  const [verdict, setVerdict] = useState<{ ok: boolean; checked_events: number; mismatches: unknown[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const verify = () => get<typeof verdict>('/audit/verify').then(setVerdict, setError);
  return (
    <>
      <Section>
        <form
          class="cell"
          onSubmit={(e) => {
            e.preventDefault();
            if (typed.trim()) go(`a/${typed.trim()}`);
          }}
        >
          <input
            class="input"
            placeholder={mt('order_id')}
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
            data-testid="audit-order-id"
          />
          <button class="button small" type="submit">
            {mt('find')}
          </button>
        </form>
      </Section>
      <Section>
        <Field label={mt('date')}>
          <TextInput type="date" value={date} onInput={setDate} />
        </Field>
        {orders.error ? (
          <Banner tone="error">{explain(orders.error)}</Banner>
        ) : !orders.data ? (
          <Skeleton rows={2} />
        ) : orders.data.length === 0 ? (
          <Empty>{mt('no_orders')}</Empty>
        ) : (
          orders.data.map((o) => (
            <Cell
              key={o.id}
              testId="audit-order"
              title={`${o.tg_id} · ${o.cafe_name}`}
              subtitle={o.combo_name}
              after={money(o.total, o.currency)}
              chevron
              onClick={() => go(`a/${o.id}`)}
            />
          ))
        )}
      </Section>
      <Section>
        <Cell title={mt('verify')} tone="accent" onClick={() => void verify()} testId="verify" />
        {error !== null && <Banner tone="error">{explain(error)}</Banner>}
        {verdict && (
          <Banner tone={verdict.ok ? 'success' : 'error'}>
            {verdict.ok
              ? mt('verify_ok', { n: verdict.checked_events })
              : mt('verify_bad', { n: verdict.mismatches.length })}
          </Banner>
        )}
      </Section>
    </>
  );
}
