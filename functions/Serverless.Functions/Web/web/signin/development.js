// Local host only: the demo people of the invented town みどり市, signed in with development tokens that the local
// host mints (tools/DevHost/DevelopmentSignIn.cs). The function app in Azure has no such routes.
import { h } from '../dom.js';

export const name = 'development';

export async function renderSignIn(onSignedIn) {
  const response = await fetch('/dev/sign-in/people', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw new Error('development sign-in unavailable');
  const { people } = await response.json();
  const list = h('ul', { class: 'list' });
  for (const person of people) {
    list.append(h('li', {}, h('button', {
      type: 'button', class: 'row', 'data-subject': person.subject,
      on: { click: async () => onSignedIn(await token(person.subject)) },
    }, h('strong', {}, person.displayName), h('br'), h('span', { class: 'meta' }, person.description))));
  }
  return [
    h('h1', {}, 'サインイン（開発用）'),
    h('p', { class: 'notice' }, 'ローカル環境のデモ利用者です。本番では自治体の Entra ID でサインインします。'),
    list,
  ];
}

async function token(subject) {
  const response = await fetch('/dev/sign-in/token', {
    method: 'POST', cache: 'no-store',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ subject }),
  });
  if (!response.ok) throw new Error('token refused');
  const body = await response.json();
  return { accessToken: body.accessToken, expiresIn: body.expiresIn, displayName: body.displayName, provider: name };
}

export async function signOut() {
  // Development tokens are not revoked: clearing sessionStorage (session.js) is all there is.
}
