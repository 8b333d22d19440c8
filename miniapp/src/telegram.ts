// The one module that touches window.Telegram.WebApp. Everything else asks this module,
// which answers sensibly when the script failed to load (a plain browser, the local demo).

type Haptic = 'light' | 'medium' | 'heavy' | 'rigid' | 'soft';
type Notice = 'error' | 'success' | 'warning';
type Insets = { top: number; bottom: number; left: number; right: number };

interface BottomButton {
  setText(text: string): void;
  show(): void;
  hide(): void;
  enable(): void;
  disable(): void;
  showProgress(leaveActive?: boolean): void;
  hideProgress(): void;
  onClick(cb: () => void): void;
  offClick(cb: () => void): void;
}

interface WebApp {
  initData: string;
  initDataUnsafe: { user?: { id: number; language_code?: string; first_name?: string } };
  version?: string;
  colorScheme?: 'light' | 'dark';
  themeParams: Record<string, string | undefined>;
  safeAreaInset?: Insets;
  contentSafeAreaInset?: Insets;
  ready(): void;
  expand(): void;
  disableVerticalSwipes?(): void;
  enableClosingConfirmation?(): void;
  disableClosingConfirmation?(): void;
  isVersionAtLeast?(v: string): boolean;
  onEvent(name: string, cb: () => void): void;
  showConfirm?(message: string, cb: (ok: boolean) => void): void;
  downloadFile?(params: { url: string; file_name: string }, cb?: (ok: boolean) => void): void;
  MainButton: BottomButton;
  BackButton: { show(): void; hide(): void; onClick(cb: () => void): void; offClick(cb: () => void): void };
  HapticFeedback?: {
    impactOccurred(style: Haptic): void;
    notificationOccurred(type: Notice): void;
    selectionChanged(): void;
  };
}

function webApp(): WebApp | undefined {
  return (window as unknown as { Telegram?: { WebApp?: WebApp } }).Telegram?.WebApp;
}

const app = webApp();
/** True inside Telegram: the script loaded and Telegram handed us signed launch data. */
export const inTelegram = Boolean(app && app.initData);
export const initData = inTelegram && app ? app.initData : '';
export const telegramUserId = (inTelegram && app?.initDataUnsafe.user?.id) || null;
export const languageCode = (inTelegram && app?.initDataUnsafe.user?.language_code) || '';

const root = document.documentElement.style;

function applyTheme(): void {
  if (!inTelegram || !app) return;
  for (const [key, value] of Object.entries(app.themeParams || {})) {
    if (value) root.setProperty(`--tg-theme-${key.replace(/_/g, '-')}`, value);
  }
  document.documentElement.dataset.scheme = app.colorScheme === 'dark' ? 'dark' : 'light';
}

function applyInsets(): void {
  if (!inTelegram || !app) return;
  const put = (prefix: string, insets?: Insets) => {
    if (!insets) return;
    for (const side of ['top', 'bottom', 'left', 'right'] as const) {
      root.setProperty(`${prefix}-${side}`, `${insets[side] || 0}px`);
    }
  };
  put('--tg-safe-area-inset', app.safeAreaInset);
  put('--tg-content-safe-area-inset', app.contentSafeAreaInset);
}

/** ready() as early as possible, full height, no swipe-to-close fights with scrolling. */
export function start(): void {
  if (!inTelegram || !app) return;
  applyTheme();
  applyInsets();
  app.onEvent('themeChanged', applyTheme);
  app.onEvent('safeAreaChanged', applyInsets);
  app.onEvent('contentSafeAreaChanged', applyInsets);
  app.ready();
  app.expand();
  app.disableVerticalSwipes?.();
}

export const haptic = {
  select(): void {
    if (inTelegram) app?.HapticFeedback?.selectionChanged();
  },
  tap(): void {
    if (inTelegram) app?.HapticFeedback?.impactOccurred('light');
  },
  success(): void {
    if (inTelegram) app?.HapticFeedback?.notificationOccurred('success');
  },
  error(): void {
    if (inTelegram) app?.HapticFeedback?.notificationOccurred('error');
  },
};

/** Telegram's confirm popup, or the browser's outside Telegram. */
export function confirm(message: string): Promise<boolean> {
  if (inTelegram && app?.showConfirm) {
    const show = app.showConfirm.bind(app);
    return new Promise((resolve) => show(message, (ok) => resolve(Boolean(ok))));
  }
  return Promise.resolve(window.confirm(message));
}

/** Asks before closing while something is half-done. */
export function guardClosing(on: boolean): void {
  if (!inTelegram || !app) return;
  if (on) app.enableClosingConfirmation?.();
  else app.disableClosingConfirmation?.();
}

/** Telegram's file download where the client has it; false means "use a link". */
export function download(url: string, fileName: string): boolean {
  if (!inTelegram || !app?.downloadFile) return false;
  if (app.isVersionAtLeast && !app.isVersionAtLeast('8.0')) return false;
  app.downloadFile({ url, file_name: fileName });
  return true;
}

export type MainButtonState = { text: string; enabled: boolean; progress: boolean; onClick: () => void };

let mainHandler: (() => void) | null = null;

/** Shows Telegram's MainButton for the screen's primary action; null hides it. */
export function setMainButton(state: MainButtonState | null): void {
  if (!inTelegram || !app) return;
  const button = app.MainButton;
  if (mainHandler) button.offClick(mainHandler);
  mainHandler = null;
  if (!state) {
    button.hideProgress();
    button.hide();
    return;
  }
  mainHandler = state.onClick;
  button.onClick(mainHandler);
  button.setText(state.text);
  if (state.enabled) button.enable();
  else button.disable();
  if (state.progress) button.showProgress(false);
  else button.hideProgress();
  button.show();
}

let backHandler: (() => void) | null = null;

/** Telegram's BackButton, shown when the route has somewhere to go back to. */
export function setBackButton(onBack: (() => void) | null): void {
  if (!inTelegram || !app) return;
  if (backHandler) app.BackButton.offClick(backHandler);
  backHandler = onBack;
  if (onBack) {
    app.BackButton.onClick(onBack);
    app.BackButton.show();
  } else {
    app.BackButton.hide();
  }
}
