// The page's entry point: signs the person in, routes #/… to a screen, signs out on request or after the idle timeout.
// Routes carry ids only (#/cases/{caseId}); the title never names a child.
import { loadAgencies } from './agencies.js';
import { ApiError, SignedOut, whenSignedOut } from './api.js';
import { h, notFound, show, status } from './dom.js';
import { casesScreen } from './screens/cases.js';
import { concernScreen } from './screens/concern.js';
import { caseScreen } from './screens/case.js';
import { inboxScreen } from './screens/inbox.js';
import { ledgerScreen } from './screens/ledger.js';
import { referralScreen, referralsScreen } from './screens/referrals.js';
import { reportScreen } from './screens/report.js';
import { clearAll, currentSession, startSession, watchIdle } from './session.js';
import { provider } from './signin/index.js';

const routes = [
  [/^#\/cases\/([^/]+)\/report$/, (id) => reportScreen(decodeURIComponent(id)), '状況を報告する'],
  [/^#\/cases\/([^/]+)$/, (id) => caseScreen(decodeURIComponent(id)), 'ケース'],
  [/^#\/concern$/, () => concernScreen(), '相談・通告フォーム'],
  [/^#\/ledger$/, () => ledgerScreen(), '進行管理台帳'],
  [/^#\/inbox$/, () => inboxScreen(), 'お知らせ'],
  [/^#\/referrals\/([^/]+)$/, (id) => referralScreen(decodeURIComponent(id)), '通告・相談'],
  [/^#\/referrals$/, () => referralsScreen(), '通告・相談'],
  [/^#\/cases$/, () => casesScreen(), '担当のケース'],
];

async function render() {
  const nav = document.getElementById('nav');
  if (!currentSession()) {
    nav.hidden = true;
    document.title = 'サインイン｜ケース共有';
    try {
      show(...await provider().renderSignIn(signedIn));
    } catch {
      show(h('p', { class: 'error', role: 'alert' }, 'サインインの準備ができませんでした。再読み込みしてください。'));
    }
    return;
  }
  nav.hidden = false;
  const hash = location.hash || '#/cases';
  const route = routes.find(([pattern]) => pattern.test(hash));
  if (!route) { location.hash = '#/cases'; return; }
  const [pattern, screen, title] = route;
  document.title = `${title}｜ケース共有`;
  show(h('p', {}, '読み込んでいます…'));
  try {
    await loadAgencies();
    show(...await screen(...hash.match(pattern).slice(1)));
  } catch (error) {
    if (error instanceof SignedOut) return;
    const message = error instanceof ApiError
      ? (error.status === 404 ? notFound : error.message)
      : '通信できませんでした。電波のよい所で再読み込みしてください。';
    show(h('p', { class: 'error', role: 'alert' }, message), h('a', { class: 'button', href: '#/cases' }, 'ケースの一覧へ'));
  }
}

function signedIn(session) {
  startSession(session);
  status('');
  if (!location.hash || location.hash === '#/') location.hash = '#/cases'; else render();
}

async function signOut(reason) {
  await provider().signOut();
  clearAll();
  status(reason || '');
  history.replaceState(null, '', location.pathname);
  render();
}

document.getElementById('sign-out').addEventListener('click', () => signOut('サインアウトしました。'));
whenSignedOut(() => signOut('サインインの有効期限が切れました。もう一度サインインしてください。'));
const minutes = Number(document.querySelector('meta[name="idle-timeout-minutes"]')?.getAttribute('content')) || 30;
watchIdle(minutes, () => signOut('しばらく操作がなかったため、サインアウトしました。下書きも消去しました。'));
window.addEventListener('hashchange', render);
render();
