// Hash routes (#/cafe/ID/DATE?order=ID): the back stack is the browser's own history.
import { useEffect, useState } from 'preact/hooks';

export type Route = { path: string[]; query: URLSearchParams };

export function parse(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  return { path: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

let depth = 0;

export function go(to: string, replace = false): void {
  const target = `#/${to.replace(/^\//, '')}`;
  if (replace) {
    history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    depth += 1;
    location.hash = target;
  }
}

/** Back within the app when there is somewhere to go; otherwise up to the home screen. */
export function back(): void {
  if (depth > 0) {
    depth -= 1;
    history.back();
  } else {
    go('', true);
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const update = () => {
      setRoute(parse(location.hash));
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
