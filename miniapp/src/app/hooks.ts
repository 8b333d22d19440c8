// Loading data for a screen, the screen's primary action, and a ticking clock.
import { useEffect, useRef, useState } from 'preact/hooks';
import { setMainButton, type MainButtonState } from '../telegram';
import { nextTick } from '../lib/deadline';

export type Load<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => void };

export function useLoad<T>(fetcher: () => Promise<T>, deps: unknown[]): Load<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ data: s.data, loading: true }));
    fetcher().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setRound((r) => r + 1) };
}

type Listener = (state: MainButtonState | null) => void;
let fallback: Listener = () => {};
export function onFallbackMain(listener: Listener): void {
  fallback = listener;
}

/** The screen's one primary action: Telegram's MainButton, or the page's own button outside. */
export function useMainButton(state: MainButtonState | null): void {
  const click = useRef<() => void>(() => {});
  click.current = state?.onClick ?? (() => {});
  const key = state ? `${state.text}|${state.enabled}|${state.progress}` : '';
  useEffect(() => {
    const shown = state ? { ...state, onClick: () => click.current() } : null;
    setMainButton(shown);
    fallback(shown);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  useEffect(
    () => () => {
      setMainButton(null);
      fallback(null);
    },
    [],
  );
}

/** The current time, refreshed on each new minute (countdowns). */
export function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setTimeout(() => setNow(new Date()), nextTick(now));
    return () => clearTimeout(timer);
  }, [now]);
  return now;
}
