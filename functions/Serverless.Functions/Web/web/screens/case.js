// One case: what the caller may see of its record, and its timeline (reports, comments, changes) newest first.
import { get } from '../api.js';
import { formatDateTime, h } from '../dom.js';
import { label } from '../labels.js';
import { childName } from './names.js';

export async function caseScreen(caseId) {
  const id = encodeURIComponent(caseId);
  const [view, timeline] = await Promise.all([get(`/api/cases/${id}`), get(`/api/cases/${id}/timeline?pageSize=50`)]);
  const record = view.record;
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, '区分'), h('dd', {}, label('category', record.category)),
    h('dt', {}, '状態'), h('dd', {}, label('status', record.status)),
    record.child && record.child.birthDate ? [h('dt', {}, '生年月日'), h('dd', {}, record.child.birthDate)] : null,
    record.nextReviewDate ? [h('dt', {}, '次回見直し'), h('dd', {}, record.nextReviewDate)] : null,
    view.locationWithheld ? [h('dt', {}, '所在'), h('dd', {}, '秘匿されています')] : null);

  const entries = h('ul', { class: 'list', 'aria-label': '経過記録' });
  for (const entry of timeline.entries) entries.append(h('li', { 'data-entry-id': entry.entryId }, entryView(entry)));

  return [
    h('h1', {}, childName(record)),
    facts,
    h('div', { class: 'actions' }, h('a', { class: 'button', href: `#/cases/${id}/report` }, '状況を報告する')),
    h('h2', {}, '経過記録'),
    timeline.entries.length ? entries : h('p', {}, 'まだ記録はありません。'),
  ];
}

function entryView(entry) {
  const report = entry.report;
  const comment = entry.comment;
  const text = report ? report.narrative : comment ? comment.text : '';
  return h('div', { class: 'entry' },
    h('div', {},
      report && report.urgency === 'urgent' ? h('span', { class: 'badge urgent' }, '緊急') : null,
      h('span', { class: 'badge' }, report ? label('reportKind', report.kind) : label('entryType', entry.type)),
      entry.corrected ? h('span', { class: 'badge' }, '訂正あり') : null),
    h('div', { class: 'meta' }, `${formatDateTime(entry.observedAt || entry.receivedAt)}・${entry.author.agencyId}`),
    text ? h('p', { class: 'narrative' }, text) : null);
}
