// Reports: a cafe's day (per dish, per person) and a period (per day chart, per employee).
import { useState } from 'preact/hooks';
import { get } from '../lib/api';
import { explain } from '../lib/errors';
import { addDays, dayShort, money } from '../lib/format';
import type { Cafe } from '../lib/types';
import { haptic } from '../telegram';
import { useLoad } from '../app/hooks';
import { Banner, Cell, Chips, Empty, Section, Skeleton } from '../app/ui';
import { categoryLabel } from '../employee/labels';
import { BarChart } from './BarChart';
import { saveReport } from './download';
import { Field, Select, TextInput } from './form';
import { mt } from './i18n';

type Sheet = {
  cafe_name: string;
  closed: boolean;
  orders_count: number;
  total: number;
  currency: string;
  dishes: { dish_id: string; name: string; category: string; count: number }[];
  extras: { extra_id: string; name: string; qty: number; total: number }[];
  orders: {
    order_id: string;
    tg_id: number;
    name: string;
    combo_name: string;
    dishes: string[];
    extras: string[];
    total: number;
  }[];
};
type Period = {
  orders_count: number;
  totals: Record<string, number>;
  cafes: { cafe_id: string; cafe_name: string; date: string; orders_count: number; total: number; currency: string }[];
  employees: { tg_id: number; name: string; office: string; orders_count: number; total: number }[];
};

function Downloads(props: { path: string }) {
  const [error, setError] = useState<unknown>(null);
  const save = (format: string) =>
    saveReport(`${props.path}&format=${format}`).then(
      () => haptic.success(),
      (e: unknown) => setError(e),
    );
  return (
    <div class="cell actions">
      {error !== null && <span class="muted">{explain(error)}</span>}
      <button class="button small tonal" data-testid="download-csv" onClick={() => void save('csv')}>
        {mt('download_csv')}
      </button>
      <button class="button small tonal" data-testid="download-json" onClick={() => void save('json')}>
        {mt('download_json')}
      </button>
    </div>
  );
}

export function Reports() {
  const [kind, setKind] = useState<'day' | 'period'>('day');
  return (
    <>
      <h1 class="page-title">{mt('reports')}</h1>
      <div class="day-chips">
        <Chips
          value={kind}
          onChange={setKind}
          testId="report-kind"
          options={[
            { value: 'day', label: mt('cafe_day') },
            { value: 'period', label: mt('period') },
          ]}
        />
      </div>
      {kind === 'day' ? <CafeDay /> : <PeriodReport />}
    </>
  );
}

function CafeDay() {
  const cafes = useLoad(() => get<Cafe[]>('/cafes'), []);
  const [cafeId, setCafeId] = useState('');
  const [date, setDate] = useState(sessionStorage.getItem('lunch.today') ?? '');
  const chosen = cafeId || cafes.data?.[0]?.id || '';
  const path = `/reports/cafe-day?cafe_id=${chosen}&date=${date}`;
  const sheet = useLoad(() => (chosen && date ? get<Sheet>(path) : Promise.resolve(null)), [chosen, date]);
  const s = sheet.data;
  return (
    <>
      <Section>
        <Field label={mt('cafes')}>
          <Select
            value={chosen}
            onChange={setCafeId}
            testId="report-cafe"
            options={(cafes.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Field>
        <Field label={mt('date')}>
          <TextInput type="date" value={date} onInput={setDate} />
        </Field>
        {chosen && date && <Downloads path={path} />}
      </Section>
      {sheet.error ? (
        <Banner tone="error">{explain(sheet.error)}</Banner>
      ) : !s ? (
        <Skeleton rows={3} />
      ) : (
        <div data-testid="cafe-day-report">
          <Section
            title={`${mt('orders_total', { n: s.orders_count, total: money(s.total, s.currency) })} · ${s.closed ? mt('closed_yes') : mt('closed_no')}`}
          >
            {s.dishes.length === 0 && <Empty>{mt('no_orders')}</Empty>}
            {s.dishes.map((d) => (
              <Cell key={d.dish_id} title={d.name} subtitle={categoryLabel(d.category)} after={`× ${d.count}`} />
            ))}
            {s.extras.map((e) => (
              <Cell key={e.extra_id} title={e.name} after={`× ${e.qty} · ${money(e.total, s.currency)}`} />
            ))}
          </Section>
          {s.orders.length > 0 && (
            <Section title={mt('per_person')}>
              {s.orders.map((o) => (
                <Cell
                  key={o.order_id}
                  title={o.name}
                  subtitle={[o.combo_name, ...o.dishes, ...o.extras].join(' · ')}
                  after={money(o.total, s.currency)}
                />
              ))}
            </Section>
          )}
        </div>
      )}
    </>
  );
}

function PeriodReport() {
  const today = sessionStorage.getItem('lunch.today') ?? new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState(addDays(today, -6));
  const [to, setTo] = useState(today);
  const path = `/reports/period?from=${from}&to=${to}`;
  const report = useLoad(() => get<Period>(path), [from, to]);
  const r = report.data;
  const perDay = new Map<string, number>();
  for (const c of r?.cafes ?? []) perDay.set(c.date, (perDay.get(c.date) ?? 0) + c.total);
  const days: string[] = [];
  for (let d = from; d <= to && days.length < 31; d = addDays(d, 1)) days.push(d);
  return (
    <>
      <Section>
        <div class="row">
          <Field label={mt('from')}>
            <TextInput type="date" value={from} onInput={setFrom} />
          </Field>
          <Field label={mt('to')}>
            <TextInput type="date" value={to} onInput={setTo} />
          </Field>
        </div>
        <Downloads path={path} />
      </Section>
      {report.error ? (
        <Banner tone="error">{explain(report.error)}</Banner>
      ) : !r ? (
        <Skeleton rows={3} />
      ) : (
        <div data-testid="period-report">
          <Section title={mt('per_day')}>
            <div class="cell">
              <BarChart
                bars={days.map((d) => ({
                  label: dayShort(d),
                  value: perDay.get(d) ?? 0,
                  text: perDay.get(d) ? money(perDay.get(d) ?? 0).replace(/\s?₽/, '') : '',
                }))}
              />
            </div>
          </Section>
          <Section title={mt('per_employee')}>
            {r.employees.length === 0 && <Empty>{mt('no_orders')}</Empty>}
            {r.employees.map((e) => (
              <Cell
                key={e.tg_id}
                title={e.name}
                subtitle={`${e.office} · ${mt('orders_total', { n: e.orders_count, total: money(e.total) })}`}
              />
            ))}
          </Section>
        </div>
      )}
    </>
  );
}
