// The one way a form sends something that must not be lost or doubled (a report, a comment, a concern).
// The draft stays in sessionStorage until the receipt arrives (sign-out clears it with everything else); every try
// carries the draft's one Idempotency-Key, so the API stores it once and answers a retry with the first receipt.
// A network failure, a 429 or a 5xx is tried again (waiting 1, 2, 4, 8 s); anything else is shown to the person.
import { ApiError, SignedOut, sendOnce } from './api.js';
import { h, notFound, status } from './dom.js';
import { dropDraft } from './session.js';

export const retryable = (error) => error instanceof TypeError
  || (error instanceof ApiError && (error.status === 429 || error.status >= 500));

// Sends `body` to `path` with the draft's key. On success drops the draft and returns the receipt; on failure shows
// why in `result` (with the fields the API named) and returns null: the draft is still there for another try.
export async function submitDraft({ path, body, draftName, idempotencyKey, button, result, attempts = 5, firstDelayMs = 1000 }) {
  if (button) button.disabled = true;
  if (result) result.replaceChildren(h('p', {}, '送信しています…'));
  for (let attempt = 1; ; attempt++) {
    try {
      const receipt = await sendOnce(path, body, idempotencyKey);
      status('');
      dropDraft(draftName);
      if (result) result.replaceChildren();
      return receipt;
    } catch (error) {
      if (error instanceof SignedOut) return null;
      if (retryable(error) && attempt < attempts) {
        status(`通信できませんでした。再送しています（${attempt}回目）…`);
        await new Promise((resolve) => setTimeout(resolve, firstDelayMs * 2 ** (attempt - 1)));
        continue;
      }
      status('');
      if (button) button.disabled = false;
      if (result) result.replaceChildren(failure(error));
      return null;
    }
  }
}

function failure(error) {
  const message = error instanceof ApiError
    ? (error.status === 404 ? notFound : retryable(error) ? '今は送信できません。下書きは残っています。少し待ってからもう一度送信してください。' : error.message)
    : '送信できませんでした。下書きは残っています。電波のよい所でもう一度送信してください。';
  const fields = (error instanceof ApiError && error.problem && error.problem.errors) || [];
  return h('div', { class: 'error', role: 'alert' }, h('p', {}, message),
    fields.length ? h('ul', {}, fields.map((field) => h('li', {}, `${field.field || ''} ${field.message || field.code || ''}`))) : null);
}
