// The comment form of a case: on the case, or a reply to one entry (「返信する」), which may mention the person who
// wrote it; any agency on the case may be mentioned too. Without a scope a reply reaches whoever sees what it answers
// and a comment on the case every agency on it (docs/timeline.md). Kept as a draft like a report, sent once.
import { newIdempotencyKey } from '../api.js';
import { h, status } from '../dom.js';
import { agencyName } from '../labels.js';
import { loadDraft, saveDraft } from '../session.js';
import { submitDraft } from '../submit.js';

export function commentForm(caseId, agencies) {
  const draftName = `comment.${caseId}`;
  const fresh = () => ({ text: '', inReplyTo: null, replyAuthor: null, mentionAuthor: true, agencyIds: [], idempotencyKey: newIdempotencyKey() });
  let draft = loadDraft(draftName) || fresh();

  const text = h('textarea', { id: 'comment-text', name: 'text', maxlength: 2000, autocomplete: 'off', rows: 4 });
  text.value = draft.text;
  const replyLine = h('div', { class: 'reply-to' });
  const agencyBoxes = agencies.map((agencyId) => {
    const box = h('input', { type: 'checkbox', id: `mention-agency-${agencyId}`, value: agencyId });
    box.checked = draft.agencyIds.includes(agencyId);
    return h('label', { class: 'check', for: `mention-agency-${agencyId}` }, box, `${agencyName(agencyId)}の担当者`);
  });
  const result = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'コメントを送る');

  const remember = () => {
    draft.text = text.value;
    const author = document.getElementById('mention-author');
    if (author) draft.mentionAuthor = author.checked;
    draft.agencyIds = agencyBoxes.map((label) => label.querySelector('input')).filter((box) => box.checked).map((box) => box.value);
    saveDraft(draftName, draft);
  };

  const showReply = () => {
    if (!draft.inReplyTo) { replyLine.replaceChildren(); return; }
    const author = h('input', { type: 'checkbox', id: 'mention-author' });
    author.checked = draft.mentionAuthor;
    replyLine.replaceChildren(h('p', { class: 'meta' }, `返信先：${draft.replyAuthor ? `${agencyName(draft.replyAuthor.agencyId)}の記録` : '記録'}`,
      ' ', h('button', { type: 'button', on: { click: () => { draft.inReplyTo = null; draft.replyAuthor = null; remember(); showReply(); } } }, '返信をやめる')),
    draft.replyAuthor && draft.replyAuthor.personId
      ? h('label', { class: 'check', for: 'mention-author' }, author, 'この記録を書いた人にメンションする') : null);
  };
  showReply();

  const element = h('form', {
    novalidate: true,
    'aria-labelledby': 'comment-heading',
    on: {
      input: remember,
      change: remember,
      submit: async (event) => {
        event.preventDefault();
        remember();
        if (!draft.text.trim()) {
          result.replaceChildren(h('p', { class: 'error', role: 'alert' }, 'コメントを書いてください。'));
          text.focus();
          return;
        }
        const personIds = draft.inReplyTo && draft.mentionAuthor && draft.replyAuthor && draft.replyAuthor.personId ? [draft.replyAuthor.personId] : [];
        const body = { text: draft.text };
        if (draft.inReplyTo) body.inReplyTo = draft.inReplyTo;
        if (personIds.length || draft.agencyIds.length) body.mentions = { personIds, agencyIds: draft.agencyIds };
        const receipt = await submitDraft({
          path: `/api/cases/${encodeURIComponent(caseId)}/comments`, body, draftName, idempotencyKey: draft.idempotencyKey, button: submit, result,
        });
        if (!receipt) return;
        submit.disabled = false;
        draft = fresh();
        status(`コメントを受け付けました（受付番号 ${receipt.entryId}）。`);
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      },
    },
  },
  replyLine,
  h('label', { for: 'comment-text' }, 'コメント'), text,
  agencyBoxes.length ? h('fieldset', { class: 'mentions' }, h('legend', {}, 'メンションする機関'), agencyBoxes) : null,
  h('div', { class: 'actions' }, submit),
  result);

  return {
    element,
    replyTo(entry) {
      // A new reply is another comment: a fresh key, so it is never taken for a retry of the last one.
      draft.inReplyTo = entry.entryId;
      draft.replyAuthor = entry.author && entry.author.kind === 'person' ? { personId: entry.author.personId, agencyId: entry.author.agencyId } : { agencyId: entry.author && entry.author.agencyId };
      draft.mentionAuthor = true;
      draft.idempotencyKey = newIdempotencyKey();
      remember();
      showReply();
      text.focus();
    },
  };
}
