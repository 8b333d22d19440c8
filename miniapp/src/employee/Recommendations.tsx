// Suggestions from the recommender, each a shortcut into ordering that dish.
import { t } from '../i18n';
import { ApiError, get } from '../lib/api';
import type { Recommendations as Recs } from '../lib/types';
import { useLoad } from '../app/hooks';
import { go } from '../app/router';
import { Cell, Empty, Section } from '../app/ui';

async function load(): Promise<Recs | null> {
  try {
    return await get<Recs>('/me/recommendations');
  } catch (e) {
    // Absent until the recommender has run (or on a server without it): an empty state.
    if (e instanceof ApiError && (e.status === 404 || e.status === 405 || e.status === 503)) return null;
    throw e;
  }
}

export function Recommendations(props: { today: string }) {
  const recs = useLoad(load, []);
  if (recs.loading && !recs.data) return null;
  const items = recs.data?.items ?? [];
  return (
    <Section title={t('recommendations')} id="recommendations">
      {items.length === 0 ? (
        <Empty>{t('recommendations_empty')}</Empty>
      ) : (
        items.map((item) => (
          <Cell
            key={`${item.cafe_id}-${item.dish_id}`}
            testId="recommendation"
            title={item.name}
            subtitle={item.reason}
            after={<span class="link">{t('order_this')}</span>}
            onClick={() => go(`cafe/${item.cafe_id}/${props.today}?dish=${item.dish_id}`)}
          />
        ))
      )}
    </Section>
  );
}
