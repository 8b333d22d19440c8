// Outside Telegram, when the server offers it: sign in as a demo user.
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { devLogin, devLoginOffered } from '../lib/api';
import { explain } from '../lib/errors';
import type { User } from '../lib/types';
import { useLoad } from './hooks';
import { Banner, Cell, Section, Skeleton } from './ui';

const DEMO: { id: number; label: 'demo_employee' | 'demo_manager' | 'demo_auditor' }[] = [
  { id: 2001, label: 'demo_employee' },
  { id: 2002, label: 'demo_employee' },
  { id: 1001, label: 'demo_manager' },
  { id: 3001, label: 'demo_auditor' },
];

export function Login(props: { onDone: (user: User) => void }) {
  const offered = useLoad(devLoginOffered, []);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>(null);
  const signIn = (id: number) => devLogin(id).then(props.onDone, setError);
  if (offered.loading) return <Skeleton rows={4} />;
  if (!offered.data) return <Banner tone="info">{t('login_unavailable')}</Banner>;
  return (
    <main>
      <h1 class="page-title">{t('login_title')}</h1>
      {error !== null && <Banner tone="error">{explain(error)}</Banner>}
      <Section footer={t('login_hint')}>
        {DEMO.map((d) => (
          <Cell
            key={d.id}
            title={t(d.label)}
            subtitle={String(d.id)}
            chevron
            onClick={() => signIn(d.id)}
            testId={`demo-${d.id}`}
          />
        ))}
      </Section>
      <Section title={t('login_id')}>
        <form
          class="cell"
          onSubmit={(e) => {
            e.preventDefault();
            if (Number(typed) > 0) void signIn(Number(typed));
          }}
        >
          <input
            class="input"
            inputMode="numeric"
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
            placeholder="2001"
          />
          <button class="button small" type="submit">
            {t('login_as', { id: typed || '…' })}
          </button>
        </form>
      </Section>
    </main>
  );
}
