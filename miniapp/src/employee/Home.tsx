// The first screen: upcoming orders, the cafes of a day with their deadlines, shortcuts.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { get } from '../lib/api';
import { explain } from '../lib/errors';
import { addDays, dateIn, money } from '../lib/format';
import type { Cafe, Order, User } from '../lib/types';
import { useLoad, useNow } from '../app/hooks';
import { go } from '../app/router';
import { Banner, Cell, Chips, Empty, Section, Skeleton } from '../app/ui';
import { Recommendations } from './Recommendations';
import { dayLabel, stateLabel } from './labels';

const DAYS_AHEAD = 4;
let chosenDay: string | null = null;

export function Home(props: { user: User }) {
  const now = useNow();
  const [date, setDate] = useState<string | null>(chosenDay);
  const cafes = useLoad(() => get<Cafe[]>(date ? `/cafes?date=${date}` : '/cafes'), [date]);
  const mine = useLoad(() => get<Order[]>('/orders/mine'), []);
  const [today, setToday] = useState(
    () => sessionStorage.getItem('lunch.today') ?? dateIn(new Date(), 'Europe/Moscow'),
  );
  useEffect(() => {
    // The server's "today" is the office's; the phone's may differ.
    const served = cafes.data?.[0]?.date;
    if (!date && served) {
      sessionStorage.setItem('lunch.today', served);
      setToday(served);
    }
  }, [cafes.data, date]);
  useEffect(() => {
    if (cafes.data && mine.data) performance.mark('lunch:first-screen');
  }, [cafes.data, mine.data]);
  const shown = date ?? today;
  const upcoming = (mine.data ?? []).filter((o) => o.status === 'placed' && o.date >= today);
  const days = Array.from({ length: DAYS_AHEAD + 1 }, (_, i) => addDays(today, i));
  const pick = (d: string) => {
    chosenDay = d === today ? null : d;
    setDate(chosenDay);
  };
  const ordered = new Map(upcoming.map((o) => [o.date, o]));
  // The first paint waits for both lists, so nothing already shown is pushed down.
  const ready = Boolean((cafes.data || cafes.error) && (mine.data || mine.error));
  return (
    <>
      <h1 class="page-title">{t('app_title')}</h1>
      {!ready ? (
        <div key="loading">
          <Skeleton rows={3} />
        </div>
      ) : (
        <div key="ready">
          {upcoming.length > 0 && (
            <Section title={t('your_order')}>
              {upcoming.map((o) => (
                <Cell
                  key={o.id}
                  testId="upcoming-order"
                  title={`${dayLabel(o.date, today)} · ${o.cafe_name}`}
                  subtitle={o.combo_name}
                  after={money(o.total, o.currency)}
                  chevron
                  onClick={() => go(`order/${o.id}`)}
                />
              ))}
            </Section>
          )}
          <div class="day-chips">
            <Chips
              options={days.map((d) => ({ value: d, label: dayLabel(d, today, true) }))}
              value={shown}
              onChange={pick}
              testId="days"
            />
          </div>
          {cafes.error ? (
            <Banner tone="error" action={{ label: t('retry'), onClick: cafes.reload }}>
              {explain(cafes.error)}
            </Banner>
          ) : !cafes.data || cafes.loading ? (
            <Skeleton rows={3} />
          ) : cafes.data.length === 0 ? (
            <Empty>{t('no_cafes')}</Empty>
          ) : (
            <Section>
              {cafes.data.map((cafe) => {
                const state = stateLabel(cafe, now);
                const order = ordered.get(cafe.date ?? shown);
                return (
                  <Cell
                    key={cafe.id}
                    testId="cafe"
                    title={cafe.name}
                    subtitle={<span class={`state ${state.tone}`}>{state.text}</span>}
                    chevron
                    onClick={() =>
                      go(
                        order && order.cafe_id === cafe.id
                          ? `order/${order.id}`
                          : `cafe/${cafe.id}/${cafe.date ?? shown}`,
                      )
                    }
                  />
                );
              })}
            </Section>
          )}
          <Section>
            <Cell title={t('history')} chevron onClick={() => go('history')} testId="nav-history" />
            <Cell title={t('profile')} chevron onClick={() => go('profile')} testId="nav-profile" />
            {props.user.role === 'manager' && (
              <Cell title={t('manage')} chevron onClick={() => go('m')} testId="nav-manage" />
            )}
            {props.user.role !== 'employee' && (
              <Cell title={t('audit')} chevron onClick={() => go('a')} testId="nav-audit" />
            )}
          </Section>
          <Recommendations today={today} />
        </div>
      )}
    </>
  );
}
