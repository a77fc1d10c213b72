// Add a report to a case. The draft is kept in sessionStorage as it is typed (it survives a reload and a lost
// connection, and is cleared with the sign-out); the submission retries with one Idempotency-Key, then shows the receipt.
// A photo taken with the phone's camera (capture: it does not land in the camera roll and its cloud sync) is uploaded
// at once, so the draft keeps only its id and name and a reload loses nothing; the report attaches it when sent.
import { ApiError, newIdempotencyKey, upload } from '../api.js';
import { formatDateTime, h, notFound, status } from '../dom.js';
import { label, reportKinds } from '../labels.js';
import { loadDraft, saveDraft } from '../session.js';
import { submitDraft } from '../submit.js';

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
  draft.files = draft.files || [];
  const photo = h('input', { type: 'file', id: 'report-photo', name: 'photo', accept: 'image/*', capture: 'environment' });
  const photos = h('ul', { class: 'files', 'aria-label': '添付する写真' });
  const photoStatus = h('div', { 'aria-live': 'polite' });
  const showPhotos = () => photos.replaceChildren(...draft.files.map((file) => h('li', { 'data-file-id': file.fileId },
    h('span', { class: 'file-name' }, file.name), ' ',
    h('button', { type: 'button', 'aria-label': `添付をやめる：${file.name}`, on: { click: () => { draft.files = draft.files.filter((f) => f.fileId !== file.fileId); remember(); showPhotos(); } } }, '添付をやめる'))));
  showPhotos();
  photo.addEventListener('change', async (event) => {
    event.stopPropagation();
    const file = photo.files && photo.files[0];
    if (!file) return;
    const name = file.name || 'photo.jpg';
    submit.disabled = true;
    photoStatus.replaceChildren(h('p', {}, '写真を送っています…'));
    try {
      const sent = await upload(`/api/cases/${encodeURIComponent(caseId)}/files`, file, name,
        { onRetry: (attempt) => status(`通信できませんでした。写真を再送しています（${attempt}回目）…`) });
      status('');
      draft.files.push({ fileId: sent.fileId, name: sent.name || name });
      remember();
      showPhotos();
      photoStatus.replaceChildren(h('p', { class: 'meta' }, '写真を受け付けました。報告を送ると添付されます。'));
    } catch (error) {
      status('');
      const message = error instanceof ApiError ? (error.status === 404 ? notFound : error.message) : '写真を送れませんでした。電波のよい所でもう一度選んでください。';
      photoStatus.replaceChildren(h('p', { class: 'error', role: 'alert' }, message));
    } finally {
      photo.value = '';
      submit.disabled = false;
    }
  });
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
        const receipt = await submitDraft({
          path: `/api/cases/${encodeURIComponent(caseId)}/reports`,
          body: {
            kind: draft.kind, urgency: draft.urgency, narrative: draft.narrative,
            observedAt: `${draft.observedAt}:00+09:00`, scope: { audience: draft.audience },
            ...(draft.files.length ? { files: draft.files.map((file) => file.fileId) } : {}),
          },
          draftName, idempotencyKey: draft.idempotencyKey, button: submit, result,
        });
        if (receipt) form.replaceWith(receiptView(caseId, receipt, draft.files));
      },
    },
  },
  h('label', { for: 'report-kind' }, '種類'), kind,
  h('label', { for: 'report-observed' }, '見た日時'), observed,
  h('label', { for: 'report-audience' }, '見せる相手'), audience,
  h('label', { class: 'check', for: 'report-urgent' }, urgent, '緊急（すぐに対応が必要）'),
  h('label', { for: 'report-narrative' }, '見たこと・聞いたこと'), narrative,
  h('label', { for: 'report-photo' }, '写真を撮って添付する'), photo, photos, photoStatus,
  h('div', { class: 'actions' }, submit, h('a', { class: 'button', href: `#/cases/${encodeURIComponent(caseId)}` }, 'ケースに戻る')),
  result);

  return [h('h1', {}, '状況を報告する'), h('p', { class: 'notice' }, '緊急のときは189または110へ'), form];
}

function receiptView(caseId, receipt, files) {
  return h('div', { class: 'receipt', role: 'status', 'data-entry-id': receipt.entryId },
    h('p', {}, h('strong', {}, '受け付けました。')),
    h('dl', { class: 'facts' },
      h('dt', {}, '受付番号'), h('dd', {}, receipt.entryId),
      h('dt', {}, '受付日時'), h('dd', {}, formatDateTime(receipt.receivedAt)),
      files.length ? [h('dt', {}, '添付'), h('dd', { class: 'file-name' }, files.map((file) => file.name).join('、'))] : null),
    h('div', { class: 'actions' }, h('a', { class: 'button', href: `#/cases/${encodeURIComponent(caseId)}` }, 'ケースに戻る')));
}

// The current minute in Japan, as a datetime-local input wants it (YYYY-MM-DDTHH:mm); sent with +09:00.
function nowInJapan() {
  const japan = new Date(Date.now() + 9 * 60 * 60 * 1000);
  return japan.toISOString().slice(0, 16);
}
