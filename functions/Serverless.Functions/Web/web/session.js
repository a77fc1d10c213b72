// The signed-in person's token and drafts live in sessionStorage only (never localStorage): they end with the tab,
// and sign-out or the idle timeout clears them all. A school's PC is shared: nothing of a child stays behind.
const tokenKey = 'session.token';
const draftPrefix = 'draft.';

export function currentSession() {
  const raw = sessionStorage.getItem(tokenKey);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw);
    if (!session.accessToken || Date.now() >= session.expiresAt) {
      clearAll();
      return null;
    }
    return session;
  } catch {
    clearAll();
    return null;
  }
}

export function startSession({ accessToken, expiresIn, displayName, provider }) {
  sessionStorage.setItem(tokenKey, JSON.stringify({ accessToken, displayName, provider, expiresAt: Date.now() + expiresIn * 1000 }));
}

// Everything this page keeps: the token and every draft.
export function clearAll() {
  sessionStorage.clear();
}

// Only while someone is signed in: a form torn down by the sign-out may still fire its last change event.
export function saveDraft(name, value) {
  if (!currentSession()) return;
  sessionStorage.setItem(draftPrefix + name, JSON.stringify(value));
}

export function loadDraft(name) {
  const raw = sessionStorage.getItem(draftPrefix + name);
  if (!raw) return null;
  try { return JSON.parse(raw); } catch { return null; }
}

export function dropDraft(name) {
  sessionStorage.removeItem(draftPrefix + name);
}

// Signs out after `minutes` without a tap, a key or a scroll. Checked on a timer and when the tab comes back,
// because a phone suspends timers while the screen is off.
export function watchIdle(minutes, onIdle) {
  const limit = minutes * 60 * 1000;
  let last = Date.now();
  const touch = () => { last = Date.now(); };
  for (const event of ['pointerdown', 'keydown', 'scroll', 'touchstart']) {
    window.addEventListener(event, touch, { passive: true, capture: true });
  }
  const check = () => {
    if (currentSession() && Date.now() - last >= limit) onIdle();
  };
  setInterval(check, Math.min(limit, 15000));
  document.addEventListener('visibilitychange', check);
}
