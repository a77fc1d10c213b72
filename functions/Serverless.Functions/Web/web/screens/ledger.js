// The review ledger (進行管理台帳, docs/council.md): GET /api/ledger as the caller may see it (coordinators: every open
// case, or one status or agency; members: their own agency's). Overdue first (the API's order), marked in red and in
// words (「見直し期限をN日過ぎています」), a page at a time with 「さらに読み込む」. Filters stay in the page, never
// in the URL; each row links to the case by id only. The agency filter is a list of the agencies' names.
import { get } from '../api.js';
import { h } from '../dom.js';
import { agencyList } from '../agencies.js';
import { agencyName, label } from '../labels.js';

const pageSize = 20;

export async function ledgerScreen() {
  const status = h('select', { id: 'ledger-status', name: 'status' },
    h('option', { value: '' }, '受理・登録（対応中）'), h('option', { value: 'accepted' }, label('status', 'accepted')),
    h('option', { value: 'registered' }, label('status', 'registered')), h('option', { value: 'closed' }, label('status', 'closed')));
  // The agencies by name (agencies.js); only if the list could not be read, the id typed as before.
  const known = agencyList();
  const agency = known.length
    ? h('select', { id: 'ledger-agency', name: 'agency' }, h('option', { value: '' }, 'すべての機関'),
      known.map((item) => h('option', { value: item.agencyId }, item.name)))
    : h('input', { id: 'ledger-agency', name: 'agency', autocomplete: 'off', placeholder: '機関ID' });
  const due = h('input', { id: 'ledger-due', name: 'reviewDueBefore', type: 'date' });
  const list = h('ul', { class: 'list', 'aria-label': '進行管理台帳' });
  const summary = h('p', { class: 'meta', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true }, 'さらに読み込む');
  let token = null;

  const query = () => {
    const parameters = new URLSearchParams({ pageSize: String(pageSize) });
    if (status.value) parameters.set('status', status.value);
    if (agency.value.trim()) parameters.set('agency', agency.value.trim());
    if (due.value) parameters.set('reviewDueBefore', due.value);
    if (token) parameters.set('continuationToken', token);
    return `/api/ledger?${parameters}`;
  };
  const load = async (fresh) => {
    if (fresh) { token = null; list.replaceChildren(); }
    more.disabled = true;
    const page = await get(query());
    list.append(...page.cases.map(row));
    token = page.continuationToken || null;
    more.hidden = !token;
    more.disabled = false;
    const count = list.children.length;
    summary.textContent = count ? `${count}件${token ? '（続きがあります）' : ''}` : '該当するケースはありません。';
  };
  more.addEventListener('click', () => load(false).catch(failed));
  const failed = (error) => {
    more.disabled = false;
    summary.replaceChildren(h('span', { class: 'error', role: 'alert' }, error && error.status === 403
      ? 'この機関の台帳は見られません（見られるのは自分の機関の台帳です）。' : '読み込めませんでした。もう一度お試しください。'));
  };
  const filters = h('form', { class: 'filters', novalidate: true, on: { submit: (event) => { event.preventDefault(); load(true).catch(failed); } } },
    h('label', { for: 'ledger-status' }, '状態'), status,
    h('label', { for: 'ledger-agency' }, '機関'), agency,
    h('label', { for: 'ledger-due' }, 'この日より前に見直し予定'), due,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '絞り込む')));

  await load(true);
  return [h('h1', {}, '進行管理台帳'), filters, summary, list, h('div', { class: 'actions' }, more)];
}

function row(item) {
  const overdue = item.daysOverdue > 0;
  return h('li', { 'data-case-id': item.caseId, 'data-overdue': overdue ? 'true' : 'false' },
    h('a', { href: `#/cases/${encodeURIComponent(item.caseId)}` },
      h('strong', {}, nameOf(item)), h('br'),
      h('span', { class: 'meta' }, [label('category', item.category), label('status', item.status),
        item.leadAgencyId ? `主担当 ${agencyName(item.leadAgencyId)}` : null,
        item.keyAgencyId ? `主たる援助機関 ${agencyName(item.keyAgencyId)}` : null].filter(Boolean).join('・')), h('br'),
      overdue
        ? h('span', { class: 'overdue' }, `見直し期限を${item.daysOverdue}日過ぎています（予定日 ${item.nextReviewDate}）`)
        : h('span', { class: 'meta' }, item.nextReviewDate ? `次回見直し ${item.nextReviewDate}` : '次回見直し 未定')));
}

function nameOf(item) {
  const text = item.name ? [item.name.family, item.name.given].filter(Boolean).join(' ') : '';
  return text || '（氏名なし）';
}
