// Entra ID sign-in: MSAL for the browser (vendored in ../vendor/msal-browser/, never from a CDN), the authorization-code
// flow with PKCE by full-page redirect (better than pop-ups on phones), its cache in sessionStorage only. One button per
// configured authority (<meta name="entra-authorities">): the municipality's tenant, a board of education's tenant…
// MSAL itself is loaded only when this screen is shown, so screens that do not need it do not pay for it.
import { h } from '../dom.js';

export const name = 'entra';

const chosenKey = 'entra-authority';
const msalUrl = new URL('../vendor/msal-browser/msal-browser.min.js', import.meta.url).href;

function meta(key) {
  return document.querySelector(`meta[name="${key}"]`)?.getAttribute('content') || '';
}

export function settings() {
  let authorities = [];
  try { authorities = JSON.parse(meta('entra-authorities') || '[]'); } catch { authorities = []; }
  return { clientId: meta('entra-client-id'), scope: meta('entra-scope'), authorities };
}

async function client(authority) {
  if (!globalThis.msal) await import(msalUrl); // UMD build: sets globalThis.msal
  const { clientId } = settings();
  const app = new globalThis.msal.PublicClientApplication({
    auth: {
      clientId,
      authority,
      redirectUri: `${location.origin}/app/`,
      postLogoutRedirectUri: `${location.origin}/app/`,
      OIDCOptions: { responseMode: 'query' }, // the page's own routes live in the fragment
    },
    cache: { cacheLocation: 'sessionStorage' },
  });
  await app.initialize();
  return app;
}

function session(result) {
  const expiresIn = Math.max(0, Math.floor((result.expiresOn.getTime() - Date.now()) / 1000));
  return { accessToken: result.accessToken, expiresIn, displayName: result.account?.name || '', provider: name };
}

export async function renderSignIn(onSignedIn) {
  const { clientId, scope, authorities } = settings();
  if (!clientId || !scope || authorities.length === 0) {
    return [
      h('h1', {}, 'サインイン'),
      h('p', { class: 'notice' }, 'このサーバーではまだサインインの方法が設定されていません。システム担当者にお問い合わせください。'),
    ];
  }

  // Coming back from the authority: redeem the code (PKCE) and start the session.
  const returning = sessionStorage.getItem(chosenKey);
  if (returning && authorities.some((item) => item.authority === returning)) {
    const app = await client(returning);
    const result = await app.handleRedirectPromise();
    if (result?.accessToken) {
      onSignedIn(session(result));
      return [h('p', {}, 'サインインしました。')];
    }
  }

  const list = h('ul', { class: 'list' });
  for (const { authority, displayName } of authorities) {
    list.append(h('li', {}, h('button', {
      type: 'button', class: 'row', 'data-authority': authority,
      on: {
        click: async () => {
          sessionStorage.setItem(chosenKey, authority);
          const app = await client(authority);
          await app.loginRedirect({ scopes: [scope], prompt: 'select_account' });
        },
      },
    }, h('strong', {}, displayName))));
  }
  return [
    h('h1', {}, 'サインイン'),
    h('p', {}, '所属を選んでサインインしてください。'),
    list,
  ];
}

export async function signOut() {
  // MSAL's cache is in sessionStorage, which session.js clears entirely right after this (clearAll): the tokens, the
  // account and the PKCE verifier go with it. No redirect to the authority's sign-out page, so the idle sign-out on a
  // shared phone does not leave the page.
  sessionStorage.removeItem(chosenKey);
}
