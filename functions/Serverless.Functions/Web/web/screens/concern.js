// The concern form (相談・通告フォーム) for signed-in staff: POST /api/referrals as the member (they are the referrer;
// no submission key is ever in the page). 「緊急のときは189または110へ」 comes first, above everything. Kept as a draft
// as it is typed and sent once through submit.js; the receipt (受付番号, time) replaces the form.
import { newIdempotencyKey } from '../api.js';
import { formatDateTime, h } from '../dom.js';
import { label } from '../labels.js';
import { loadDraft, saveDraft } from '../session.js';
import { submitDraft } from '../submit.js';

const draftName = 'concern';
const kinds = ['abuse-report', 'care-consultation', 'other-concern'];

export async function concernScreen() {
  const draft = loadDraft(draftName) || {
    kind: 'abuse-report', observedAt: nowInJapan(), family: '', given: '', age: '', school: '', area: '', narrative: '',
    idempotencyKey: newIdempotencyKey(),
  };
  const field = (id, name, attributes = {}) => {
    const input = h('input', { id: `concern-${id}`, name, autocomplete: 'off', ...attributes });
    input.value = draft[name] || '';
    return input;
  };
  const kind = h('select', { id: 'concern-kind', name: 'kind' }, kinds.map((code) => h('option', { value: code }, label('referralKind', code))));
  kind.value = draft.kind;
  const observed = field('observed', 'observedAt', { type: 'datetime-local', required: true });
  const family = field('family', 'family', { maxlength: 100 });
  const given = field('given', 'given', { maxlength: 100 });
  const age = field('age', 'age', { type: 'number', min: 0, max: 20, inputmode: 'numeric' });
  const school = field('school', 'school', { maxlength: 200 });
  const area = field('area', 'area', { maxlength: 200 });
  const narrative = h('textarea', { id: 'concern-narrative', name: 'narrative', required: true, maxlength: 10000, autocomplete: 'off' });
  narrative.value = draft.narrative;
  const result = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, '送信する');

  const remember = () => {
    Object.assign(draft, {
      kind: kind.value, observedAt: observed.value, family: family.value, given: given.value, age: age.value,
      school: school.value, area: area.value, narrative: narrative.value,
    });
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
          result.replaceChildren(h('p', { class: 'error', role: 'alert' }, '見たこと・聞いたことを書いてください。'));
          narrative.focus();
          return;
        }
        if (!draft.family.trim() && !draft.given.trim() && !draft.school.trim() && !draft.area.trim()) {
          result.replaceChildren(h('p', { class: 'error', role: 'alert' }, '子どもの名前、学校・園、地区のどれかを書いてください。'));
          family.focus();
          return;
        }
        const child = {};
        if (draft.family.trim() || draft.given.trim()) child.name = { family: draft.family.trim(), given: draft.given.trim() };
        if (draft.age !== '') child.approximateAge = Number(draft.age);
        if (draft.school.trim()) child.schoolOrNursery = draft.school.trim();
        if (draft.area.trim()) child.area = draft.area.trim();
        const receipt = await submitDraft({
          path: '/api/referrals',
          body: { kind: draft.kind, observedAt: `${draft.observedAt}:00+09:00`, narrative: draft.narrative, child },
          draftName, idempotencyKey: draft.idempotencyKey, button: submit, result,
        });
        if (receipt) form.replaceWith(receiptView(receipt));
      },
    },
  },
  h('label', { for: 'concern-kind' }, '種類'), kind,
  h('label', { for: 'concern-observed' }, '見た・聞いた日時'), observed,
  h('fieldset', {}, h('legend', {}, '子ども（わかる範囲で）'),
    h('label', { for: 'concern-family' }, '姓'), family,
    h('label', { for: 'concern-given' }, '名'), given,
    h('label', { for: 'concern-age' }, 'おおよその年齢'), age,
    h('label', { for: 'concern-school' }, '学校・園'), school,
    h('label', { for: 'concern-area' }, '地区'), area),
  h('label', { for: 'concern-narrative' }, '見たこと・聞いたこと'), narrative,
  h('div', { class: 'actions' }, submit),
  result);

  return [
    h('p', { class: 'notice emergency', role: 'note' }, '緊急のときは189または110へ'),
    h('h1', {}, '相談・通告フォーム'),
    h('p', { class: 'meta' }, 'あなたが通告者として記録されます。通告者は調整機関にしか見えません。'),
    form,
  ];
}

function receiptView(receipt) {
  return h('div', { class: 'receipt', role: 'status', 'data-referral-id': receipt.referralId },
    h('p', {}, h('strong', {}, '受け付けました。')),
    h('dl', { class: 'facts' },
      h('dt', {}, '受付番号'), h('dd', {}, receipt.receiptNumber),
      h('dt', {}, '受付日時'), h('dd', {}, formatDateTime(receipt.receivedAt)),
      h('dt', {}, '状態'), h('dd', {}, label('referralState', receipt.state))),
    h('div', { class: 'actions' }, h('a', { class: 'button', href: '#/referrals' }, '送った通告・相談を見る')));
}

function nowInJapan() {
  return new Date(Date.now() + 9 * 60 * 60 * 1000).toISOString().slice(0, 16);
}
