// Signs in, then shows the screen for the route; manager and audit screens load on demand.
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { restore, savedUser, telegramLogin, whenSignedOut } from '../lib/api';
import { explain } from '../lib/errors';
import type { User } from '../lib/types';
import { inTelegram, setBackButton, telegramUserId } from '../telegram';
import { Home } from '../employee/Home';
import { Compose } from '../employee/Compose';
import { OrderScreen } from '../employee/OrderScreen';
import { History } from '../employee/History';
import { Profile } from '../employee/Profile';
import { Login } from './Login';
import { back, useRoute, type Route } from './router';
import { Banner, FallbackButtons, Skeleton } from './ui';

export type ScreenProps = { route: Route; user: User };
type Area = { Screen: FunctionComponent<ScreenProps> };
const areas: Record<string, () => Promise<Area>> = {
  m: () => import('../manager/index'),
  a: () => import('../audit/index'),
};

function Lazy(props: ScreenProps & { area: string }) {
  const [area, setArea] = useState<Area | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  useEffect(() => {
    areas[props.area]?.().then(setArea, setFailed);
  }, [props.area]);
  if (failed) return <Banner tone="error">{explain(failed)}</Banner>;
  if (!area) return <Skeleton rows={6} />;
  return <area.Screen route={props.route} user={props.user} />;
}

function screen(route: Route, user: User) {
  const [head, a, b] = route.path;
  switch (head) {
    case 'cafe':
      return <Compose cafeId={a ?? ''} date={b ?? ''} query={route.query} />;
    case 'order':
      return <OrderScreen orderId={a ?? ''} flash={route.query.get('done')} />;
    case 'history':
      return <History />;
    case 'profile':
      return <Profile user={user} />;
    case 'm':
    case 'a':
      return <Lazy area={head} route={route} user={user} />;
    default:
      return <Home user={user} />;
  }
}

export function App() {
  const route = useRoute();
  const [user, setUser] = useState<User | null | undefined>(() => (inTelegram ? savedUser(telegramUserId) : undefined));
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    whenSignedOut(() => setUser(null));
    const failed = (e: unknown) => {
      setError(e);
      setUser(null);
    };
    if (!inTelegram) restore().then(setUser, failed);
    else if (user) setTimeout(() => void restore().then((fresh) => fresh && setUser(fresh)), 1500);
    else telegramLogin().then(setUser, failed);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const home = route.path.length === 0;
  useEffect(() => setBackButton(home || !user ? null : back), [home, user]);
  if (user === undefined) {
    return (
      <main>
        <h1 class="page-title">{home ? t('app_title') : '\u00a0'}</h1>
        <div key="loading">
          <Skeleton rows={3} />
        </div>
      </main>
    );
  }
  if (user === null) {
    if (inTelegram) return <Banner tone="error">{explain(error)}</Banner>;
    return <Login onDone={setUser} />;
  }
  return (
    <>
      <FallbackButtons canGoBack={!home} />
      <main class={inTelegram ? 'in-telegram' : 'in-browser'}>{screen(route, user)}</main>
      <p class="visually-hidden">{t('app_title')}</p>
    </>
  );
}
