// Stands in for telegram-web-app.js in browser tests: the WebApp object the Mini App uses,
// recording every call in window.__tg.calls. The MainButton is drawn as a bar at the bottom,
// as Telegram draws it outside the page, so screenshots show the screen's primary action.
(() => {
  const cfg = __CONFIG__;
  const calls = [];
  const handlers = {};
  const record = (name, ...args) => calls.push({ name, args });
  const fire = (name) => (handlers[name] || []).forEach((cb) => cb());

  // Telegram shrinks the web view by the button's height; the spacer does as much here.
  let bar = null;
  let spacer = null;
  function drawMainButton(b) {
    if (!document.body) return;
    if (!bar) {
      spacer = document.createElement('div');
      spacer.style.height = '76px';
      document.body.appendChild(spacer);
      bar = document.createElement('div');
      bar.id = 'tg-main-button';
      bar.setAttribute('aria-hidden', 'true');
      bar.style.cssText =
        'position:fixed;left:0;right:0;bottom:0;padding:8px 16px 14px;z-index:9;pointer-events:none;' +
        'font:600 16px -apple-system,system-ui,sans-serif;';
      bar.appendChild(document.createElement('div'));
      document.body.appendChild(bar);
    }
    const p = app.themeParams;
    bar.style.display = b.isVisible ? 'block' : 'none';
    spacer.style.display = b.isVisible ? 'block' : 'none';
    bar.style.background = p.bottom_bar_bg_color || p.secondary_bg_color || '#fff';
    const inner = bar.firstChild;
    inner.style.cssText =
      'border-radius:12px;padding:14px;text-align:center;' +
      `background:${p.button_color};color:${p.button_text_color};opacity:${b.isActive ? 1 : 0.55}`;
    inner.textContent = b.isProgressVisible ? '…' : b.text;
  }

  function bottomButton(prefix) {
    const b = {
      text: '', isVisible: false, isActive: true, isProgressVisible: false, handlers: [],
      setText(text) { record(`${prefix}.setText`, text); b.text = text; drawMainButton(b); return b; },
      show() { record(`${prefix}.show`); b.isVisible = true; drawMainButton(b); return b; },
      hide() { record(`${prefix}.hide`); b.isVisible = false; drawMainButton(b); return b; },
      enable() { b.isActive = true; drawMainButton(b); return b; },
      disable() { b.isActive = false; drawMainButton(b); return b; },
      showProgress() { b.isProgressVisible = true; drawMainButton(b); return b; },
      hideProgress() { b.isProgressVisible = false; drawMainButton(b); return b; },
      onClick(cb) { b.handlers.push(cb); return b; },
      offClick(cb) { b.handlers = b.handlers.filter((h) => h !== cb); return b; },
    };
    return b;
  }

  const back = { isVisible: false, handlers: [] };
  Object.assign(back, {
    show() { record('BackButton.show'); back.isVisible = true; },
    hide() { record('BackButton.hide'); back.isVisible = false; },
    onClick(cb) { back.handlers.push(cb); },
    offClick(cb) { back.handlers = back.handlers.filter((h) => h !== cb); },
  });

  const app = {
    initData: cfg.initData,
    initDataUnsafe: { user: cfg.user, auth_date: cfg.authDate },
    version: '8.0',
    platform: 'ios',
    colorScheme: cfg.colorScheme,
    themeParams: cfg.themeParams,
    safeAreaInset: cfg.safeAreaInset,
    contentSafeAreaInset: cfg.contentSafeAreaInset,
    ready() { record('ready'); },
    expand() { record('expand'); },
    disableVerticalSwipes() { record('disableVerticalSwipes'); },
    enableClosingConfirmation() { record('enableClosingConfirmation'); },
    disableClosingConfirmation() { record('disableClosingConfirmation'); },
    isVersionAtLeast() { return true; },
    onEvent(name, cb) { (handlers[name] = handlers[name] || []).push(cb); },
    offEvent(name, cb) { handlers[name] = (handlers[name] || []).filter((h) => h !== cb); },
    showConfirm(message, cb) { record('showConfirm', message); setTimeout(() => cb(cfg.confirm), 0); },
    downloadFile(params, cb) { record('downloadFile', params); if (cb) cb(true); },
    MainButton: bottomButton('MainButton'),
    BackButton: back,
    HapticFeedback: {
      impactOccurred(style) { record('HapticFeedback.impactOccurred', style); },
      notificationOccurred(type) { record('HapticFeedback.notificationOccurred', type); },
      selectionChanged() { record('HapticFeedback.selectionChanged'); },
    },
  };
  window.Telegram = { WebApp: app };
  window.__tg = {
    calls,
    names: () => calls.map((c) => c.name),
    mainButton: () => ({ text: app.MainButton.text, visible: app.MainButton.isVisible, active: app.MainButton.isActive }),
    backVisible: () => back.isVisible,
    clickMain: () => app.MainButton.handlers.forEach((h) => h()),
    clickBack: () => back.handlers.forEach((h) => h()),
    setTheme(scheme, params) {
      app.colorScheme = scheme;
      app.themeParams = params;
      fire('themeChanged');
      drawMainButton(app.MainButton);
    },
  };
})();
