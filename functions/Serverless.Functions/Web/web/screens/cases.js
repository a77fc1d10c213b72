// My cases: what the signed-in member sees of GET /api/cases (their own agency's cases they may see).
import { get } from '../api.js';
import { h } from '../dom.js';
import { label } from '../labels.js';
import { childName } from './names.js';

export async function casesScreen() {
  const page = await get('/api/cases?pageSize=50');
  const list = h('ul', { class: 'list', 'aria-label': 'ケースの一覧' });
  for (const item of page.cases) {
    list.append(h('li', {}, h('a', { href: `#/cases/${encodeURIComponent(item.caseId)}`, 'data-case-id': item.caseId },
      h('strong', {}, childName(item.record)),
      h('br'),
      h('span', { class: 'meta' }, `${label('category', item.record.category)}・${label('status', item.record.status)}`,
        item.record.nextReviewDate ? `・次回見直し ${item.record.nextReviewDate}` : ''))));
  }
  return [h('h1', {}, '担当のケース'), page.cases.length ? list : h('p', {}, '見られるケースはありません。')];
}
