// Add a report to a case. The draft is kept in sessionStorage as it is typed (it survives a reload and a lost
// connection, and is cleared with the sign-out); the submission retries with one Idempotency-Key, then shows the receipt.
import { ApiError, newIdempotencyKey, postOnce } from '../api.js';
import { formatDateTime, h, status } from '../dom.js';
import { label, reportKinds } from '../labels.js';
import { dropDraft, loadDraft, saveDraft } from '../session.js';

export async function reportScreen(caseId) {
  const draftName = `report.${caseId}`;
  const draft = loadDraft(draftName)
    || { kind: 'other', urgency: 'routine', narrative: '', observedAt: nowInJapan(), audience: 'all-participants', idempotencyKey: newIdempotencyKey() };

  const kind = h('select', { id: 'report-kind', name: 'kind' }, reportKinds.map((code) => h('option', { value: code }, label('reportKind', code))));
  kind.value = draft.kind;
  const observed = h('input', { type: 'datetime-local', id: 'report-observed', name: 'observedAt', required: true });
  observed.value = draft.observedAt || nowInJapan();
  const audience = h('select', { id: 'report-audience', name: 'audience' },
    h('option', { value: 'all-participants' }, 'このケースの全機関'), h('option', { value: 'coordinators-only' }, '調整機関のみ'));
  audience.value = draft.audience || 'all-participants';
  const urgent = h('input', { type: 'checkbox', id: 'report-urgent', name: 'urgent' });
  urgent.checked = draft.urgency === 'urgent';
  const narrative = h('textarea', { id: 'report-narrative', name: 'narrative', required: true, maxlength: 10000, autocomplete: 'off' });
  narrative.value = draft.narrative;
  const result = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, '送信する');

  const remember = () => {
    draft.kind = kind.value;
    draft.urgency = urgent.checked ? 'urgent' : 'routine';
    draft.narrative = narrative.value;
    draft.observedAt = observed.value;
    draft.audience = audience.value;
    saveDraft(draftName, draft);
  };

  const form = h('form', {
    novalidate: true,
    on: {
      input: remember,
      change: remember,
      submit: async (event) => {
        event.preventDefault();
        remember();
        if (!draft.narrative.trim()) {
          result.replaceChildren(h('p', { class: 'error', role: 'alert' }, '内容を書いてください。'));
          narrative.focus();
          return;
        }
        submit.disabled = true;
        result.replaceChildren(h('p', {}, '送信しています…'));
        try {
          const receipt = await postOnce(`/api/cases/${encodeURIComponent(caseId)}/reports`,
            {
              kind: draft.kind, urgency: draft.urgency, narrative: draft.narrative,
              observedAt: `${draft.observedAt}:00+09:00`, scope: { audience: draft.audience },
            }, draft.idempotencyKey,
            { onRetry: (attempt) => status(`通信できませんでした。再送しています（${attempt}回目）…`) });
          status('');
          dropDraft(draftName);
          form.replaceWith(receiptView(caseId, receipt));
        } catch (error) {
          status('');
          submit.disabled = false;
          const message = error instanceof ApiError ? error.message : '送信できませんでした。下書きは残っています。電波のよい所でもう一度送信してください。';
          const fields = (error instanceof ApiError && error.problem && error.problem.errors) || [];
          result.replaceChildren(h('div', { class: 'error', role: 'alert' }, h('p', {}, message),
            fields.length ? h('ul', {}, fields.map((field) => h('li', {}, `${field.field || ''} ${field.message || field.code || ''}`))) : null));
        }
      },
    },
  },
  h('label', { for: 'report-kind' }, '種類'), kind,
  h('label', { for: 'report-observed' }, '見た日時'), observed,
  h('label', { for: 'report-audience' }, '見せる相手'), audience,
  h('label', { class: 'check', for: 'report-urgent' }, urgent, '緊急（すぐに対応が必要）'),
  h('label', { for: 'report-narrative' }, '見たこと・聞いたこと'), narrative,
  h('div', { class: 'actions' }, submit, h('a', { class: 'button', href: `#/cases/${encodeURIComponent(caseId)}` }, 'ケースに戻る')),
  result);

  return [h('h1', {}, '状況を報告する'), h('p', { class: 'notice' }, '緊急のときは189または110へ'), form];
}

function receiptView(caseId, receipt) {
  return h('div', { class: 'receipt', role: 'status', 'data-entry-id': receipt.entryId },
    h('p', {}, h('strong', {}, '受け付けました。')),
    h('dl', { class: 'facts' },
      h('dt', {}, '受付番号'), h('dd', {}, receipt.entryId),
      h('dt', {}, '受付日時'), h('dd', {}, formatDateTime(receipt.receivedAt))),
    h('div', { class: 'actions' }, h('a', { class: 'button', href: `#/cases/${encodeURIComponent(caseId)}` }, 'ケースに戻る')));
}

// The current minute in Japan, as a datetime-local input wants it (YYYY-MM-DDTHH:mm); sent with +09:00.
function nowInJapan() {
  const japan = new Date(Date.now() + 9 * 60 * 60 * 1000);
  return japan.toISOString().slice(0, 16);
}
