// One order: what it holds, until when it can change, and change / cancel.
import { useState } from 'preact/hooks';
import { t, tMaybe } from '../i18n';
import { call, get } from '../lib/api';
import { explain } from '../lib/errors';
import { clock, day, money } from '../lib/format';
import type { Cafe, Order } from '../lib/types';
import { confirm, haptic } from '../telegram';
import { useLoad, useMainButton, useNow } from '../app/hooks';
import { go } from '../app/router';
import { Banner, Cell, Section, Skeleton } from '../app/ui';
import { categoryLabel } from './labels';

/** The order, and its cafe's time zone for "editable until 11:00" on the cafe's clock. */
async function load(orderId: string): Promise<{ order: Order; timezone: string | undefined }> {
  const order = await get<Order>(`/orders/${orderId}`);
  const cafes = await get<Cafe[]>(`/cafes?date=${order.date}`).catch(() => [] as Cafe[]);
  return { order, timezone: cafes.find((c) => c.id === order.cafe_id)?.timezone };
}

export function OrderScreen(props: { orderId: string; flash: string | null }) {
  const loaded = useLoad(() => load(props.orderId), [props.orderId]);
  const [order, setOrder] = useState<Order | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [flash, setFlash] = useState(props.flash);
  const now = useNow();
  const shown = order ?? loaded.data?.order;
  const editable =
    shown?.status === 'placed' && shown.editable_until !== null && Date.parse(shown.editable_until) > now.getTime();
  useMainButton(
    shown && editable
      ? {
          text: t('change'),
          enabled: !busy,
          progress: false,
          onClick: () => go(`cafe/${shown.cafe_id}/${shown.date}?order=${shown.id}`),
        }
      : null,
  );
  if (loaded.error) return <Banner tone="error">{explain(loaded.error)}</Banner>;
  if (!shown) return <Skeleton rows={5} />;
  const cancel = async () => {
    const ok = await confirm(t('cancel_confirm', { cafe: shown.cafe_name, date: day(shown.date) }));
    if (!ok) return;
    setBusy(true);
    try {
      setOrder(await call<Order>('DELETE', `/orders/${shown.id}`));
      haptic.success();
      setFlash('cancelled');
      setError(null);
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const currency = shown.currency ?? 'RUB';
  const zone = loaded.data?.timezone ?? 'Europe/Moscow';
  return (
    <>
      <h1 class="page-title">{shown.cafe_name}</h1>
      <p class="page-subtitle">
        {day(shown.date)} ·{' '}
        <span class={`status ${shown.status}`} data-testid="order-status">
          {tMaybe(`status_${shown.status}`) ?? shown.status}
        </span>
      </p>
      {flash && <Banner tone="success">{tMaybe(`order_${flash}`) ?? ''}</Banner>}
      {error !== null && <Banner tone="error">{explain(error, { cafe: shown.cafe_name })}</Banner>}
      <Section>
        <Cell
          title={t('combo_line', { name: shown.combo_name })}
          after={money(shown.total - extrasSum(shown), currency)}
        />
        {shown.dishes.map((d) => (
          <Cell key={d.dish_id} title={d.name} subtitle={categoryLabel(d.category)} />
        ))}
        {shown.extras.map((e) => (
          <Cell
            key={e.extra_id}
            title={t('extra_line', { name: e.name, n: e.qty })}
            after={money(e.price * e.qty, currency)}
          />
        ))}
        {shown.note && <Cell title={<span class="muted">{t('note')}</span>} subtitle={shown.note} />}
        <Cell title={<b>{t('total')}</b>} after={<b data-testid="order-total">{money(shown.total, currency)}</b>} />
      </Section>
      {shown.status === 'placed' && (
        <p class="hint" data-testid="editable-until">
          {editable && shown.editable_until
            ? t('editable_until', { time: clock(shown.editable_until, zone) })
            : t('not_editable')}
        </p>
      )}
      {editable && (
        <Section>
          <Cell
            title={t('cancel_order')}
            tone="danger"
            onClick={() => void cancel()}
            disabled={busy}
            testId="cancel-order"
          />
        </Section>
      )}
    </>
  );
}

function extrasSum(order: Order): number {
  return order.extras.reduce((sum, e) => sum + e.price * e.qty, 0);
}
