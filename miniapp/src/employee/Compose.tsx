// Building an order: combo → one dish per category → extras → summary → the MainButton.
import { useEffect, useState } from 'preact/hooks';
import { t, tMaybe } from '../i18n';
import { ApiError, call, get } from '../lib/api';
import { explain } from '../lib/errors';
import { money } from '../lib/format';
import { checkOrder } from '../lib/price';
import type { Menu, Order } from '../lib/types';
import { guardClosing, haptic } from '../telegram';
import { useLoad, useMainButton, useNow } from '../app/hooks';
import { go } from '../app/router';
import { Banner, Chips, Skeleton } from '../app/ui';
import { bodyOf, draftFromOrder, draftWithDish, emptyDraft, type Draft } from './draft';
import { stateLabel } from './labels';
import { MenuPicker } from './MenuPicker';

type Loaded = { menu: Menu; start: Draft; editing: Order | null };

async function load(cafeId: string, date: string, query: URLSearchParams): Promise<Loaded> {
  const menu = await get<Menu>(`/cafes/${cafeId}/menu?date=${date}`);
  const orderId = query.get('order') ?? query.get('from');
  const order = orderId ? await get<Order>(`/orders/${orderId}`) : null;
  const dish = query.get('dish');
  const start = order ? draftFromOrder(menu, order) : dish ? draftWithDish(menu, dish) : emptyDraft;
  return { menu, start, editing: query.get('order') ? order : null };
}

export function Compose(props: { cafeId: string; date: string; query: URLSearchParams }) {
  const loaded = useLoad(
    () => load(props.cafeId, props.date, props.query),
    [props.cafeId, props.date, props.query.toString()],
  );
  if (loaded.error) {
    return (
      <Banner tone="error" action={{ label: t('retry'), onClick: loaded.reload }}>
        {explain(loaded.error)}
      </Banner>
    );
  }
  if (!loaded.data) return <Skeleton rows={6} />;
  return <Builder {...loaded.data} date={props.date} />;
}

function Builder(props: Loaded & { date: string }) {
  const { menu, editing } = props;
  const now = useNow();
  const [draft, setDraft] = useState<Draft>(props.start);
  const [tag, setTag] = useState('all');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const cafe = menu.cafe;
  const state = stateLabel(cafe, now);
  const open = state.tone !== 'closed';
  const body = bodyOf(menu, props.date, draft);
  const check = checkOrder(menu, body);
  const dirty = draft !== props.start;
  useEffect(() => {
    guardClosing(dirty && !busy);
    return () => guardClosing(false);
  }, [dirty, busy]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const order = editing
        ? await call<Order>('PUT', `/orders/${editing.id}`, body)
        : await call<Order>('POST', '/orders', body);
      haptic.success();
      guardClosing(false);
      go(`order/${order.id}?done=${editing ? 'changed' : 'placed'}`, true);
    } catch (e) {
      haptic.error();
      setError(e);
      setBusy(false);
      window.scrollTo(0, 0);
    }
  };

  const combo = menu.combos.find((c) => c.id === draft.comboId);
  const missing = combo ? combo.categories.filter((c) => !draft.dishes[c]).length : -1;
  const price = check.ok ? money(check.total, cafe.currency) : '';
  useMainButton(
    !open
      ? null
      : {
          text: check.ok
            ? t(editing ? 'save_button' : 'order_button', { price })
            : missing > 0
              ? t('pick_more', { n: missing })
              : t('pick_combo_first'),
          enabled: check.ok && !busy,
          progress: busy,
          onClick: () => {
            if (check.ok && !busy) void submit();
          },
        },
  );

  const tags = [...new Set(menu.dishes.flatMap((d) => d.tags))].sort();
  return (
    <>
      <h1 class="page-title">{cafe.name}</h1>
      <p class={`page-subtitle state ${state.tone}`}>{state.text}</p>
      {!open && (
        <Banner tone="error">
          {explain(closedError(cafe.deadline), { cafe: cafe.name, timezone: cafe.timezone }, now)}
        </Banner>
      )}
      {error !== null && (
        <Banner tone="error" action={{ label: t('retry'), onClick: () => void submit() }}>
          {explain(error, { cafe: cafe.name, timezone: cafe.timezone })}
        </Banner>
      )}
      {tags.length > 0 && (
        <div class="day-chips">
          <Chips
            testId="tag-filter"
            value={tag}
            onChange={(v) => {
              haptic.select();
              setTag(v);
            }}
            options={[{ value: 'all', label: t('filter_all') }, ...tags.map((x) => ({ value: x, label: tagLabel(x) }))]}
          />
        </div>
      )}
      <MenuPicker menu={menu} draft={draft} setDraft={setDraft} tag={tag} check={check} />
    </>
  );
}

function tagLabel(tag: string): string {
  return tMaybe(`tag_${tag}`) ?? tag.replace(/_/g, ' ');
}

function closedError(deadline: string | null): ApiError {
  return new ApiError(400, 'ordering_closed', '', deadline ? { deadline } : {});
}
