// Who I am, and this month's spend against the limit, with how it is counted.
import { t } from '../i18n';
import { get } from '../lib/api';
import { explain } from '../lib/errors';
import { money } from '../lib/format';
import type { Me, User } from '../lib/types';
import { useLoad } from '../app/hooks';
import { Banner, Cell, Section, Skeleton } from '../app/ui';

export function Profile(props: { user: User }) {
  const me = useLoad(() => get<Me>('/me'), []);
  const roleKey = `role_${props.user.role}` as 'role_employee';
  return (
    <>
      <h1 class="page-title">{props.user.name}</h1>
      <p class="page-subtitle">{t(roleKey)}</p>
      {me.error ? (
        <Banner tone="error">{explain(me.error)}</Banner>
      ) : !me.data ? (
        <Skeleton rows={3} />
      ) : (
        <Spend me={me.data} />
      )}
    </>
  );
}

function Spend({ me }: { me: Me }) {
  const spent = money(me.spent_this_month);
  const share = me.monthly_limit ? Math.min(1, me.spent_this_month / me.monthly_limit) : 0;
  return (
    <>
      <Section title={t('month_spend')} footer={t('how_counted')}>
        <div class="cell spend" data-testid="spend">
          <span class="cell-main">
            <span class="cell-title">
              {me.monthly_limit === null
                ? t('spent_no_limit', { spent })
                : t('spent_of', { spent, limit: money(me.monthly_limit) })}
            </span>
            {me.monthly_limit !== null && (
              <span
                class="meter"
                role="meter"
                aria-valuemin={0}
                aria-valuemax={me.monthly_limit}
                aria-valuenow={me.spent_this_month}
              >
                <span class={share >= 0.9 ? 'meter-fill warn' : 'meter-fill'} style={{ width: `${share * 100}%` }} />
              </span>
            )}
            <span class="cell-subtitle">
              {t('orders_count', { n: me.orders_this_month })}
              {me.monthly_limit !== null &&
                ` · ${t('left', { amount: money(Math.max(0, me.monthly_limit - me.spent_this_month)) })}`}
            </span>
          </span>
        </div>
      </Section>
      <Section>
        <Cell title={t('office')} after={me.office} />
      </Section>
    </>
  );
}
