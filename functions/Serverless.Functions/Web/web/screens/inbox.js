// The inbox: unread first, urgent marked. Opening one marks it read and goes to its case (ids only in the URL).
import { get, post } from '../api.js';
import { formatDateTime, h } from '../dom.js';
import { agencyName, label } from '../labels.js';

export async function inboxScreen() {
  const page = await get('/api/notifications?pageSize=50');
  const sorted = [...page.notifications].sort((a, b) => (a.read === b.read ? (a.at < b.at ? 1 : -1) : a.read ? 1 : -1));
  const list = h('ul', { class: 'list', 'aria-label': 'お知らせの一覧' });
  for (const item of sorted) {
    const text = [
      item.urgent ? h('span', { class: 'badge urgent' }, '緊急') : null,
      item.read ? null : h('span', { class: 'badge unread' }, '未読'),
      h('strong', {}, item.mentioned ? 'あなたへのメンション' : item.entryType ? label('entryType', item.entryType) : label('notification', item.kind)),
      h('br'),
      h('span', { class: 'meta' }, formatDateTime(item.at), item.actorAgencyId ? `・${agencyName(item.actorAgencyId)}` : ''),
    ];
    const open = async () => {
      if (!item.read) await post(`/api/notifications/${encodeURIComponent(item.notificationId)}/read`).catch(() => {});
      location.hash = item.caseId && item.available ? `#/cases/${encodeURIComponent(item.caseId)}` : '#/inbox';
    };
    list.append(h('li', { class: item.read ? '' : 'unread', 'data-notification-id': item.notificationId, 'data-urgent': item.urgent ? 'true' : 'false',
      'data-mentioned': item.mentioned ? 'true' : 'false', 'data-case-id': item.caseId },
      h('button', { type: 'button', class: 'row', on: { click: open } }, text)));
  }
  return [h('h1', {}, 'お知らせ'), sorted.length ? list : h('p', {}, 'お知らせはありません。')];
}
