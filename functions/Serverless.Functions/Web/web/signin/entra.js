// The municipality's Entra ID (authorization code + PKCE, MSAL for the browser vendored into this folder) comes here,
// with the same three exports as development.js. Not built yet: see docs/web-app.md.
import { h } from '../dom.js';

export const name = 'entra';

export async function renderSignIn() {
  return [
    h('h1', {}, 'サインイン'),
    h('p', { class: 'notice' }, 'このサーバーではまだサインインの方法が設定されていません。システム担当者にお問い合わせください。'),
  ];
}

export async function signOut() {}
