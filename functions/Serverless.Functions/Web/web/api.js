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

async function request(method, path, { body, headers = {}, raw = false } = {}) {
  const session = currentSession();
  if (!session) { onSignedOut(); throw new SignedOut(); }
  const response = await fetch(path, {
    method, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
    headers: {
      Accept: 'application/json', 'Accept-Language': 'ja', Authorization: `Bearer ${session.accessToken}`,
      ...(body === undefined || raw ? {} : { 'Content-Type': 'application/json' }), ...headers,
    },
    body: body === undefined || raw ? body : JSON.stringify(body),
  });
  if (response.status === 401) { onSignedOut(); throw new SignedOut(); }
  return response;
}

async function send(method, path, options) {
  const response = await request(method, path, options);
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

export const get = (path) => send('GET', path);

// A POST without a body (marking a notification read: harmless again).
export const post = (path) => send('POST', path);

// A POST whose repetition the API itself refuses or answers alike (a referral's decision: read-only once decided).
export const postJson = (path, body) => send('POST', path, { body });

// One try of a submission that must not be lost or doubled, with its draft's Idempotency-Key (the API stores it once
// and answers a repeat with the first receipt). The retries are submit.js's.
export const sendOnce = (path, body, idempotencyKey) =>
  send('POST', path, { body, headers: { 'Idempotency-Key': `"${idempotencyKey}"` } });

// Whether a failure is worth another try: the network, or a gateway that did not answer.
export const transient = (error) => error instanceof TypeError || (error instanceof ApiError && [502, 503, 504].includes(error.status));

// Uploads a file (a photo from the camera) as its raw bytes, the name percent-encoded in X-File-Name (docs/files.md).
// The files API takes no Idempotency-Key: a retry may leave a second copy attached to nothing, which the sweep deletes.
export async function upload(path, file, name, { attempts = 3, firstDelayMs = 1000, onRetry = () => {} } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send('POST', path, { body: file, raw: true, headers: { 'X-File-Name': encodeURIComponent(name), 'Content-Type': 'application/octet-stream' } });
    } catch (error) {
      if (!transient(error) || attempt >= attempts) throw error;
      onRetry(attempt);
      await new Promise((resolve) => setTimeout(resolve, firstDelayMs * 2 ** (attempt - 1)));
    }
  }
}

// A picture the API serves (a photo's thumbnail) as a blob: URL the page's CSP allows; the caller revokes it.
export async function blobUrl(path) {
  const response = await request('GET', path, { headers: { Accept: 'image/jpeg' } });
  if (!response.ok) throw new ApiError(response.status, null);
  return URL.createObjectURL(await response.blob());
}

export function newIdempotencyKey() {
  return crypto.randomUUID();
}
