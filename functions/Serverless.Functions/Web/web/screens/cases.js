// My cases: what the signed-in member sees of GET /api/cases (their own agency's cases they may see).
import { ApiError, get } from '../api.js';
import { h } from '../dom.js';
import { label } from '../labels.js';
import { childName } from './names.js';

export async function casesScreen() {
  const page = await myCases();
  const list = h('ul', { class: 'list', 'aria-label': 'ケースの一覧' });
  for (const item of page.cases) {
    list.append(h('li', {}, h('a', { href: `#/cases/${encodeURIComponent(item.caseId)}`, 'data-case-id': item.caseId },
      h('strong', {}, childName(item.record)),
      h('br'),
      h('span', { class: 'meta' }, `${label('category', item.record.category)}・${label('status', item.record.status)}`,
        item.record.nextReviewDate ? `・次回見直し ${item.record.nextReviewDate}` : ''))));
  }
  return [h('h1', {}, '担当のケース'), h('a', { class: 'button', href: '#/ledger' }, '進行管理台帳'), page.cases.length ? list : h('p', {}, '見られるケースはありません。')];
}

// A member's list needs no filter (their agency's cases). A coordinator's must name a status or an agency (400
// otherwise): theirs is the cases still open, accepted (受理) and registered (登録).
async function myCases() {
  try {
    return await get('/api/cases?pageSize=50');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 400)) throw error;
    const pages = await Promise.all(['accepted', 'registered'].map((status) => get(`/api/cases?status=${status}&pageSize=50`)));
    return { cases: pages.flatMap((page) => page.cases) };
  }
}
