// Picks the sign-in provider index.html names (<meta name="sign-in">). Each provider module exports
// name, renderSignIn(onSignedIn) → DOM nodes, and signOut(). Adding Entra means filling in entra.js only.
import * as development from './development.js';
import * as entra from './entra.js';

const providers = { development, entra };

export function provider() {
  const configured = document.querySelector('meta[name="sign-in"]')?.getAttribute('content');
  return providers[configured] || entra;
}
