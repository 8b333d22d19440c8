// Past and upcoming orders, each with "repeat" into the next day that takes it.
import { useState } from 'preact/hooks';
import { t, tMaybe } from '../i18n';
import { get } from '../lib/api';
import { officeToday } from '../lib/today';
import { explain } from '../lib/errors';
import { addDays, day, money } from '../lib/format';
import type { Cafe, Order } from '../lib/types';
import { haptic } from '../telegram';
import { useLoad } from '../app/hooks';
import { go } from '../app/router';
import { Banner, Cell, Empty, Section, Skeleton } from '../app/ui';

const HISTORY_DAYS = 90;
const REPEAT_DAYS_AHEAD = 7;

/** The first day from the office's today on which this cafe still takes orders. */
async function nextOpenDay(cafeId: string): Promise<string | null> {
  const today = await get<Cafe[]>('/cafes');
  let date = today[0]?.date;
  if (!date) return null;
  for (let i = 0; i < REPEAT_DAYS_AHEAD; i += 1) {
    const cafes = i === 0 ? today : await get<Cafe[]>(`/cafes?date=${date}`);
    if (cafes.find((c) => c.id === cafeId)?.ordering_open) return date;
    date = addDays(date, 1);
  }
  return null;
}

export function History() {
  const orders = useLoad(
    () =>
      officeToday().then(async (today) => ({
        today,
        list: await get<Order[]>(`/orders/mine?from=${addDays(today, -HISTORY_DAYS)}`),
      })),
    [],
  );
  const [problem, setProblem] = useState<string | null>(null);
  const repeat = async (order: Order) => {
    haptic.tap();
    try {
      const date = await nextOpenDay(order.cafe_id);
      if (date) go(`cafe/${order.cafe_id}/${date}?from=${order.id}`);
      else setProblem(t('repeat_none'));
    } catch (e) {
      setProblem(explain(e));
    }
  };
  return (
    <>
      <h1 class="page-title">{t('history')}</h1>
      {problem && <Banner tone="error">{problem}</Banner>}
      {orders.error ? (
        <Banner tone="error" action={{ label: t('retry'), onClick: orders.reload }}>
          {explain(orders.error)}
        </Banner>
      ) : !orders.data ? (
        <Skeleton rows={5} />
      ) : orders.data.list.length === 0 ? (
        <Empty>{t('history_empty')}</Empty>
      ) : (
        <Section>
          {orders.data.list.map((o) => {
            const upcoming = o.status === 'placed' && o.date >= (orders.data?.today ?? '');
            const repeatButton = (
              <button
                class="button small tonal"
                data-testid="repeat"
                onClick={(e) => {
                  e.stopPropagation();
                  void repeat(o);
                }}
              >
                {t('repeat')}
              </button>
            );
            return (
              <Cell
                key={o.id}
                testId="history-order"
                title={`${day(o.date)} · ${o.cafe_name}`}
                subtitle={
                  <>
                    {o.combo_name} · {money(o.total, o.currency)}
                    {o.status !== 'placed' && (
                      <span class={`status ${o.status}`}> · {tMaybe(`status_${o.status}`)}</span>
                    )}
                  </>
                }
                chevron={upcoming}
                after={upcoming ? undefined : repeatButton}
                onClick={() => go(`order/${o.id}`)}
              />
            );
          })}
        </Section>
      )}
    </>
  );
}
