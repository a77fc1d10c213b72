// Calls the API as the signed-in person. Answers are never cached (the API says no-store; the page asks for it too).
import { currentSession } from './session.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export class SignedOut extends Error {}

let onSignedOut = () => {};
export function whenSignedOut(handler) { onSignedOut = handler; }

async function send(method, path, { body, headers = {} } = {}) {
  const session = currentSession();
  if (!session) { onSignedOut(); throw new SignedOut(); }
  const response = await fetch(path, {
    method, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
    headers: {
      Accept: 'application/json', 'Accept-Language': 'ja', Authorization: `Bearer ${session.accessToken}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) { onSignedOut(); throw new SignedOut(); }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

export const get = (path) => send('GET', path);

// A POST without a body (marking a notification read: harmless again).
export const post = (path) => send('POST', path);

// A submission that must not be lost or doubled: the same Idempotency-Key on every try, so the API stores it once and
// answers a retry with the first receipt. Retries after a network failure or a 502/503/504, waiting longer each time.
export async function postOnce(path, body, idempotencyKey, { attempts = 5, firstDelayMs = 1000, onRetry = () => {} } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send('POST', path, { body, headers: { 'Idempotency-Key': `"${idempotencyKey}"` } });
    } catch (error) {
      const transient = error instanceof TypeError || (error instanceof ApiError && [502, 503, 504].includes(error.status));
      if (!transient || attempt >= attempts) throw error;
      onRetry(attempt);
      await new Promise((resolve) => setTimeout(resolve, firstDelayMs * 2 ** (attempt - 1)));
    }
  }
}

export function newIdempotencyKey() {
  return crypto.randomUUID();
}
