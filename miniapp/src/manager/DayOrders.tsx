// Everyone's orders on a date, optionally of one cafe.
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { get } from '../lib/api';
import { explain } from '../lib/errors';
import { money } from '../lib/format';
import type { Cafe, Order } from '../lib/types';
import { useLoad } from '../app/hooks';
import { Banner, Cell, Empty, Section, Skeleton } from '../app/ui';
import { Field, Select, TextInput } from './form';
import { mt } from './i18n';

export function DayOrders() {
  const cafes = useLoad(() => get<Cafe[]>('/cafes'), []);
  const [date, setDate] = useState(sessionStorage.getItem('lunch.today') ?? '');
  const [cafeId, setCafeId] = useState('');
  const orders = useLoad(
    () => get<Order[]>(`/orders?${date ? `date=${date}` : ''}${cafeId ? `&cafe_id=${cafeId}` : ''}`),
    [date, cafeId],
  );
  const placed = (orders.data ?? []).filter((o) => o.status === 'placed');
  const total = placed.reduce((s, o) => s + o.total, 0);
  return (
    <>
      <h1 class="page-title">{mt('day_orders')}</h1>
      <Section>
        <Field label={mt('date')}>
          <TextInput type="date" value={date} onInput={setDate} />
        </Field>
        <Field label={mt('cafes')}>
          <Select
            value={cafeId}
            onChange={setCafeId}
            options={[
              { value: '', label: mt('all_cafes') },
              ...(cafes.data ?? []).map((c) => ({ value: c.id, label: c.name })),
            ]}
          />
        </Field>
      </Section>
      {orders.error ? (
        <Banner tone="error">{explain(orders.error)}</Banner>
      ) : !orders.data ? (
        <Skeleton rows={4} />
      ) : orders.data.length === 0 ? (
        <Empty>{mt('no_orders')}</Empty>
      ) : (
        <Section title={mt('orders_total', { n: placed.length, total: money(total) })}>
          {orders.data.map((o) => (
            <Cell
              key={o.id}
              testId="day-order"
              title={`${o.tg_id} · ${o.cafe_name}`}
              subtitle={`${o.combo_name}: ${o.dishes.map((d) => d.name).join(', ')}${o.status === 'placed' ? '' : ` · ${t(`status_${o.status}` as 'status_placed')}`}`}
              after={money(o.total, o.currency)}
            />
          ))}
        </Section>
      )}
    </>
  );
}
