// Talking to /api: the bearer token, one re-login when it expires, errors as codes.
import { initData, inTelegram } from '../telegram';
import type { User } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

// The token outlives a launch, so a relaunch paints the first screen without a login round trip.
const SESSION_KEY = 'lunch.session';
type Saved = { token: string; user: User };

function load(): Saved | null {
  try {
    const saved = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as Saved | null;
    return saved && typeof saved.token === 'string' && saved.user ? saved : null;
  } catch {
    return null;
  }
}

const saved = load();
let token: string | null = saved?.token ?? null;
let user: User | null = saved?.user ?? null;
let onSignedOut: () => void = () => {};

export function session(): { token: string | null; user: User | null } {
  return { token, user };
}

export function whenSignedOut(cb: () => void): void {
  onSignedOut = cb;
}

function remember(next: { token: string; user: User } | null): void {
  token = next?.token ?? null;
  user = next?.user ?? null;
  try {
    if (next) localStorage.setItem(SESSION_KEY, JSON.stringify(next));
    else localStorage.removeItem(SESSION_KEY);
  } catch {
    // Storage may be unavailable (private mode); the token then lives for this launch only.
  }
}

async function send(method: string, path: string, body?: unknown, raw?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (raw !== undefined) headers['Content-Type'] = 'text/csv';
  else if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(`/api${path}`, {
      method,
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
}

async function failure(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; details?: Record<string, unknown> };
    };
    const e = body.error ?? {};
    return new ApiError(response.status, e.code ?? 'generic', e.message ?? response.statusText, e.details ?? {});
  } catch {
    return new ApiError(response.status, 'generic', response.statusText);
  }
}

/** Signs in with Telegram's initData (inside Telegram) — the only way there. */
export async function telegramLogin(): Promise<User> {
  const response = await send('POST', '/auth/telegram', { init_data: initData });
  if (!response.ok) throw await failure(response);
  const body = (await response.json()) as { token: string; user: User };
  remember(body);
  return body.user;
}

export async function devLogin(tgId: number): Promise<User> {
  const response = await send('POST', '/auth/dev', { tg_id: tgId });
  if (!response.ok) throw await failure(response);
  const body = (await response.json()) as { token: string; user: User };
  remember(body);
  return body.user;
}

export async function devLoginOffered(): Promise<boolean> {
  const response = await send('GET', '/auth/config');
  if (!response.ok) return false;
  return Boolean(((await response.json()) as { dev_login?: boolean }).dev_login);
}

export function signOut(): void {
  remember(null);
}

/** One call; on 401 inside Telegram, logs in again with initData once and retries. */
export async function call<T>(method: string, path: string, body?: unknown, raw?: string): Promise<T> {
  let response = await send(method, path, body, raw);
  if (response.status === 401 && inTelegram) {
    await telegramLogin();
    response = await send(method, path, body, raw);
  }
  if (response.status === 401) {
    remember(null);
    onSignedOut();
  }
  if (!response.ok) throw await failure(response);
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

export const get = <T>(path: string) => call<T>('GET', path);

/** The user saved by the last launch, when it is this Telegram user (or any, outside). */
export function savedUser(tgId: number | null): User | null {
  return user && token && (tgId === null || user.tg_id === tgId) ? user : null;
}

/** The signed-in user, checked against the server with the saved token. */
export async function restore(): Promise<User | null> {
  if (!token) return null;
  try {
    const me = await get<User>('/me');
    const fresh = { tg_id: me.tg_id, name: me.name, office: me.office, role: me.role };
    remember({ token: token ?? '', user: fresh });
    return fresh;
  } catch {
    remember(null);
    return null;
  }
}

/** A file the API sends as a download (reports), fetched with the token. */
export async function fetchFile(path: string): Promise<{ blob: Blob; name: string }> {
  const response = await send('GET', path);
  if (!response.ok) throw await failure(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'report';
  return { blob: await response.blob(), name };
}
