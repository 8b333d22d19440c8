// Boot: tell Telegram we are ready at once, pick the language, render.
import { render } from 'preact';
import { pickLang, setLang } from './i18n';
import { languageCode, start } from './telegram';
import { App } from './app/App';
import './styles.css';

start();
setLang(pickLang(languageCode || new URLSearchParams(location.search).get('lang')));
render(<App />, document.getElementById('app') as HTMLElement);
