// The participant's guide (/guide): one page, every word from the catalogs (guide.*), in the
// language the join page uses — ?lang= from the link that opened it, else the same choice the
// join page makes. Names of buttons are the catalog's own labels, so the guide says what the
// page says.

import { t, loadLanguage, chosenLanguage, languagePicker, translatePage, LANGS } from './i18n.js';

// The labels a guide text quotes ({raise} in "guide.hand.raise", …).
function labels() {
  const keys = {
    raise: 'web.hands.raise', lower: 'web.hands.lower', private: 'web.add.private', reveal: 'web.item.reveal',
    vote: 'web.item.vote', take_back: 'web.item.unvote', rename: 'web.people.rename',
    device: 'web.device.title', leave: 'web.device.leave', other: 'web.device.other',
    rejoin: 'web.rejoin.title', done: 'web.turns.done', pass: 'web.turns.pass', add: 'web.add.button',
  };
  return Object.fromEntries(Object.entries(keys).map(([name, key]) => [name, t(key)]));
}

function render() {
  translatePage();
  const vars = labels();
  for (const el of document.querySelectorAll('[data-i18n^="guide."]')) el.textContent = t(el.dataset.i18n, vars);
  document.title = `${t('guide.title')} – ${t('app.name')}`;
}

async function main() {
  const asked = new URLSearchParams(location.search).get('lang');
  await loadLanguage(LANGS.includes(asked) ? asked : chosenLanguage());
  render();
  languagePicker(document.querySelector('#lang'), async (lang) => {
    await loadLanguage(lang);
    render();
  });
}

main();
