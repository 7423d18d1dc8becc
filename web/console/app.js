// The console's entry point (grows into sign-in, queue and complaint pages).
import { html, render, t } from './lib.js';

function App() {
  return html`<main><h1>${t('app.title')}</h1></main>`;
}

render(html`<${App} />`, document.getElementById('app'));
