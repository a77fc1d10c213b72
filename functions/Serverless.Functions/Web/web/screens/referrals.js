// Referrals (通告・相談). Coordinators: the open list, overdue first, each with the countdown of its safety-confirmation
// clock (overdue in red), and one referral with its triage into a new case. Anyone else: the receipts of what they sent
// (the API answers GET /api/referrals with one or the other, so the page needs no idea of roles).
import { ApiError, get, postJson } from '../api.js';
import { formatDateTime, h } from '../dom.js';
import { agencyName, label } from '../labels.js';

export async function referralsScreen() {
  const listing = await get('/api/referrals?state=open');
  if (!listing.referrals) {
    // A member or a form: every receipt of theirs, decided ones included, with its state and nothing else.
    const receipts = (await get('/api/referrals?pageSize=50')).receipts || [];
    const list = h('ul', { class: 'list', 'aria-label': '送った通告・相談' }, receipts.map((receipt) => h('li', { class: 'entry', 'data-referral-id': receipt.referralId },
      h('strong', {}, `受付番号 ${receipt.receiptNumber}`), h('br'),
      h('span', { class: 'meta' }, `${formatDateTime(receipt.receivedAt)}・${label('referralState', receipt.state)}`))));
    return [h('h1', {}, '通告・相談'), h('p', { class: 'notice' }, '緊急のときは189または110へ'),
      h('a', { class: 'button', href: '#/concern' }, '相談・通告する'),
      receipts.length ? list : h('p', {}, '送った通告・相談はありません。')];
  }
  const list = h('ul', { class: 'list', 'aria-label': '対応中の通告・相談' });
  for (const item of listing.referrals) {
    list.append(h('li', { 'data-referral-id': item.referralId, 'data-overdue': item.clock && item.clock.overdue ? 'true' : 'false' },
      h('a', { href: `#/referrals/${encodeURIComponent(item.referralId)}` },
        h('strong', {}, label('referralKind', item.kind)), ' ', h('span', { class: 'meta' }, `受付番号 ${item.receiptNumber}`), h('br'),
        h('span', { class: 'meta' }, `受付 ${formatDateTime(item.receivedAt)}・${label('referralState', item.state)}`), h('br'),
        countdown(item.clock))));
  }
  return [h('h1', {}, '対応中の通告・相談'), h('a', { class: 'button', href: '#/concern' }, '相談・通告する'), listing.referrals.length ? list : h('p', {}, '対応中の通告・相談はありません。')];
}

// The safety-confirmation clock as words: time left, or how long overdue (red). Ticks each 30 s while on screen.
function countdown(clock) {
  if (!clock) return h('span', { class: 'meta' }, '安全確認の期限なし');
  if (!clock.running) {
    return h('span', { class: 'meta countdown' }, clock.confirmedAt ? `安全確認済み（${formatDateTime(clock.confirmedAt)}）` : '児童相談所が対応');
  }
  const element = h('span', { class: 'countdown' });
  const deadline = new Date(clock.deadlineAt).getTime();
  const update = () => {
    const minutes = Math.floor((deadline - Date.now()) / 60000);
    const overdue = clock.overdue || minutes < 0;
    element.className = overdue ? 'countdown overdue' : 'countdown';
    element.textContent = overdue
      ? `安全確認の期限を${duration(-minutes)}過ぎています（期限 ${formatDateTime(clock.deadlineAt)}）`
      : `安全確認まで残り${duration(minutes)}（期限 ${formatDateTime(clock.deadlineAt)}）`;
  };
  update();
  const timer = setInterval(() => { if (element.isConnected) update(); else clearInterval(timer); }, 30000);
  return element;
}

function duration(minutes) {
  const hours = Math.floor(Math.max(0, minutes) / 60);
  return hours ? `${hours}時間${Math.max(0, minutes) % 60}分` : `${Math.max(0, minutes)}分`;
}

// One referral, for a coordinator: what was seen, about whom, the clock, and the intake meeting's decision into a new
// case (the draft the API prefilled from the referral; the duplicate check may ask to confirm first).
export async function referralScreen(referralId) {
  const path = `/api/referrals/${encodeURIComponent(referralId)}`;
  const read = await get(path);
  const referral = read.referral;
  if (!referral) {
    // Whoever sent it gets its receipt and state only.
    const receipt = read.receipt || {};
    return [h('h1', {}, '通告・相談'), h('dl', { class: 'facts' },
      h('dt', {}, '受付番号'), h('dd', {}, receipt.receiptNumber || ''),
      h('dt', {}, '受付'), h('dd', {}, formatDateTime(receipt.receivedAt)),
      h('dt', {}, '状態'), h('dd', {}, label('referralState', receipt.state)))];
  }
  const child = referral.child || {};
  const name = child.name ? [child.name.family, child.name.given].filter(Boolean).join(' ') : '';
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, '種別'), h('dd', {}, label('referralKind', referral.kind)),
    h('dt', {}, '受付番号'), h('dd', {}, referral.receiptNumber),
    h('dt', {}, '受付'), h('dd', {}, formatDateTime(referral.receivedAt)),
    h('dt', {}, '見た日時'), h('dd', {}, formatDateTime(referral.observedAt)),
    h('dt', {}, '子ども'), h('dd', {}, name || '（氏名不明）', child.approximateAge ? `（${child.approximateAge}歳くらい）` : ''),
    child.schoolOrNursery ? [h('dt', {}, '学校・園'), h('dd', {}, child.schoolOrNursery)] : null,
    child.area ? [h('dt', {}, '地域'), h('dd', {}, child.area)] : null,
    referral.submitter && referral.submitter.agencyId
      ? [h('dt', {}, '通告・相談した機関'), h('dd', { 'data-agency-id': referral.submitter.agencyId }, agencyName(referral.submitter.agencyId))] : null,
    h('dt', {}, '状態'), h('dd', {}, label('referralState', referral.state)));
  const content = [
    h('h1', {}, '通告・相談'),
    facts,
    h('p', {}, countdown(referral.clock)),
    h('h2', {}, '内容'),
    h('p', { class: 'narrative' }, referral.narrative),
  ];
  if (referral.decision) {
    content.push(decisionView(referral.decision));
    return content;
  }
  content.push(h('h2', { id: 'triage-heading' }, '受理会議の決定'), triageForm(path, referral));
  return content;
}

function decisionView(decision) {
  return h('div', { class: 'receipt', role: 'status' },
    h('p', {}, h('strong', {}, '決定しました。')),
    decision.caseId ? h('a', { class: 'button', href: `#/cases/${encodeURIComponent(decision.caseId)}`, 'data-case-id': decision.caseId }, '登録したケースを開く') : null);
}

function triageForm(path, referral) {
  const meetingDate = h('input', { type: 'date', id: 'triage-date', required: true });
  meetingDate.value = new Date(Date.now() + 9 * 60 * 60 * 1000).toISOString().slice(0, 10);
  const summary = h('textarea', { id: 'triage-summary', maxlength: 2000, autocomplete: 'off', rows: 4 });
  const result = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, '新しいケースとして登録する');
  let confirmed = [];

  const decide = async () => {
    if (!summary.value.trim()) {
      result.replaceChildren(h('p', { class: 'error', role: 'alert' }, 'ケースの関係機関が読む要約を書いてください。'));
      summary.focus();
      return;
    }
    submit.disabled = true;
    result.replaceChildren(h('p', {}, '登録しています…'));
    try {
      const view = await postJson(`${path}/decision`, {
        outcome: 'new-case', meetingDate: meetingDate.value, summary: summary.value, confirmedNotDuplicateOf: confirmed,
      });
      form.replaceWith(decisionView(view.decision || {}));
    } catch (error) {
      submit.disabled = false;
      const candidates = error instanceof ApiError && error.problem && error.problem.candidateCaseIds;
      if (error instanceof ApiError && error.status === 409 && candidates) {
        result.replaceChildren(h('div', { class: 'notice', role: 'alert' },
          h('p', {}, '同じ子どものケースがすでにあるかもしれません。確かめてください。'),
          h('ul', {}, candidates.map((caseId) => h('li', {}, h('a', { href: `#/cases/${encodeURIComponent(caseId)}` }, `ケース ${caseId}`)))),
          h('button', { type: 'button', on: { click: () => { confirmed = candidates; decide(); } } }, '別の子どもなので登録する')));
        return;
      }
      const message = error instanceof ApiError ? error.message : '送信できませんでした。電波のよい所でもう一度送ってください。';
      const fields = (error instanceof ApiError && error.problem && error.problem.errors) || [];
      result.replaceChildren(h('div', { class: 'error', role: 'alert' }, h('p', {}, message),
        fields.length ? h('ul', {}, fields.map((field) => h('li', {}, `${field.field || ''} ${field.message || field.code || ''}`))) : null));
    }
  };

  const form = h('form', { novalidate: true, 'aria-labelledby': 'triage-heading', on: { submit: (event) => { event.preventDefault(); decide(); } } },
    h('label', { for: 'triage-date' }, '受理会議の日'), meetingDate,
    h('label', { for: 'triage-summary' }, 'ケースの関係機関が読む要約（通告者がわかることは書かない）'), summary,
    h('div', { class: 'actions' }, submit),
    result);
  return form;
}
