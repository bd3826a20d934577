/** First-run consent (shown in Firefox): capture starts only after the user agrees. */

import * as store from '../lib/store.js';

const note = document.getElementById('consent-note');

async function render() {
  const settings = await store.getSettings();
  note.textContent = settings.consentAt
    ? `You agreed on ${new Date(settings.consentAt).toLocaleString()}. You can withdraw below.`
    : 'Nothing is captured until you agree.';
}

document.getElementById('agree').addEventListener('click', async () => {
  await store.updateSettings({ consentAt: Date.now() });
  await render();
});

document.getElementById('decline').addEventListener('click', async () => {
  await store.updateSettings({ consentAt: null });
  await render();
});

render();
