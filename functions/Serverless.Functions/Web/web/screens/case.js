// One case: what the caller may see of its record, its timeline (reports, comments, changes) newest first with the
// files attached to each, and a comment form (a reply to an entry can mention the person who wrote it).
import { blobUrl, get } from '../api.js';
import { formatDateTime, h } from '../dom.js';
import { agencyName, label } from '../labels.js';
import { commentForm } from './comment.js';
import { childName } from './names.js';

export async function caseScreen(caseId) {
  const id = encodeURIComponent(caseId);
  const [view, timeline, files] = await Promise.all([
    get(`/api/cases/${id}`), get(`/api/cases/${id}/timeline?pageSize=50`), get(`/api/cases/${id}/files`).catch(() => ({ files: [] }))]);
  const record = view.record;
  const participating = [...new Set((record.participants || []).map((participant) => participant.agencyId).filter(Boolean))];
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, '区分'), h('dd', {}, label('category', record.category)),
    h('dt', {}, '状態'), h('dd', {}, label('status', record.status)),
    record.child && record.child.birthDate ? [h('dt', {}, '生年月日'), h('dd', {}, record.child.birthDate)] : null,
    record.nextReviewDate ? [h('dt', {}, '次回見直し'), h('dd', {}, record.nextReviewDate)] : null,
    record.leadAgencyId ? [h('dt', {}, '主担当機関'), h('dd', { 'data-agency-id': record.leadAgencyId }, agencyName(record.leadAgencyId))] : null,
    record.keyAgencyId ? [h('dt', {}, '主たる援助機関'), h('dd', { 'data-agency-id': record.keyAgencyId }, agencyName(record.keyAgencyId))] : null,
    participating.length ? [h('dt', {}, '参加機関'), h('dd', {}, participating.map(agencyName).join('、'))] : null,
    view.locationWithheld ? [h('dt', {}, '所在'), h('dd', {}, '秘匿されています')] : null);

  const fileById = new Map(files.files.map((file) => [file.fileId, file]));
  const agencies = (record.participants || []).map((participant) => participant.agencyId)
    .concat(record.leadAgencyId ? [record.leadAgencyId] : []).filter((agency, index, all) => agency && all.indexOf(agency) === index);
  const form = commentForm(caseId, agencies);

  const entries = h('ul', { class: 'list', 'aria-label': '経過記録' });
  for (const entry of timeline.entries) {
    entries.append(h('li', { 'data-entry-id': entry.entryId, 'data-entry-type': entry.type }, entryView(caseId, entry, fileById, form)));
  }

  return [
    h('h1', {}, childName(record)),
    facts,
    h('div', { class: 'actions' }, h('a', { class: 'button', href: `#/cases/${id}/report` }, '状況を報告する')),
    h('h2', {}, '経過記録'),
    timeline.entries.length ? entries : h('p', {}, 'まだ記録はありません。'),
    h('h2', { id: 'comment-heading' }, 'コメントする'),
    form.element,
  ];
}

function entryView(caseId, entry, fileById, form) {
  const report = entry.report;
  const comment = entry.comment;
  const text = report ? report.narrative : comment ? comment.text : '';
  const mentions = comment && comment.mentions;
  const mentioned = mentions ? [...(mentions.personIds || []).map(() => '担当者'), ...(mentions.agencyIds || []).map(agencyName)] : [];
  const canReply = entry.type === 'report' || entry.type === 'comment';
  return h('div', { class: 'entry' },
    h('div', {},
      report && report.urgency === 'urgent' ? h('span', { class: 'badge urgent' }, '緊急') : null,
      h('span', { class: 'badge' }, report ? label('reportKind', report.kind) : label('entryType', entry.type)),
      comment && comment.inReplyTo ? h('span', { class: 'badge' }, '返信') : null,
      entry.corrected ? h('span', { class: 'badge' }, '訂正あり') : null),
    h('div', { class: 'meta' }, `${formatDateTime(entry.observedAt || entry.receivedAt)}・${agencyName(entry.author.agencyId)}`),
    text ? h('p', { class: 'narrative' }, text) : null,
    mentioned.length ? h('p', { class: 'meta mentions' }, `メンション：${mentioned.join('、')}`) : null,
    entry.files ? h('ul', { class: 'files', 'aria-label': '添付ファイル' }, entry.files.map((fileId) => fileView(caseId, fileId, fileById.get(fileId)))) : null,
    canReply ? h('div', { class: 'actions' }, h('button', {
      type: 'button', class: 'reply', on: { click: () => form.replyTo(entry) },
    }, '返信する')) : null);
}

function fileView(caseId, fileId, file) {
  const item = h('li', { 'data-file-id': fileId }, h('span', { class: 'file-name' }, file ? file.name : 'ファイル'),
    file && file.state !== 'ready' ? h('span', { class: 'meta' }, `（${label('fileState', file.state)}）`) : null);
  if (file && file.thumbnail) {
    blobUrl(`/api/cases/${encodeURIComponent(caseId)}/files/${encodeURIComponent(fileId)}/thumbnail`)
      .then((url) => {
        const image = h('img', { alt: `写真：${file.name}`, class: 'thumbnail' });
        image.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
        image.src = url;
        item.prepend(image);
      })
      .catch(() => {});
  }
  return item;
}
