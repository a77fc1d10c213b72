// Japanese words for the API's codes. Unknown codes are shown as they are (escaped like everything else).
const words = {
  category: { 'requiring-protection': '要保護児童', 'requiring-support': '要支援児童', 'expectant-mother': '特定妊婦' },
  status: { accepted: '受理', registered: '登録', closed: '終結' },
  entryType: { report: '状況報告', comment: 'コメント', 'case-change': 'ケースの変更', redaction: '削除', referral: '通告・相談', sighting: '安全確認' },
  reportKind: {
    attendance: '出欠', injury: 'けが・あざ', 'childs-words': '子どもの言葉', 'home-visit': '家庭訪問', 'health-check': '健診',
    'guardian-contact': '保護者との連絡', 'medical-finding': '医療の所見', 'police-contact': '警察との連絡', 'meeting-note': '会議の記録', other: 'その他',
  },
  urgency: { routine: '通常', urgent: '緊急' },
  fileState: { receiving: '受信中', quarantined: '確認中', ready: '確認済み', rejected: '受け付けられませんでした' },
  referralKind: { 'abuse-report': '虐待通告', 'care-consultation': '養護相談', 'other-concern': 'その他の相談' },
  referralState: { received: '受付', 'in-progress': '対応中', decided: '決定' },
  notification: { 'entry-added': '新しい記録', mention: 'メンション', 'break-glass': '緊急閲覧', referral: '通告・相談' },
};

export function label(kind, code) {
  return (words[kind] && words[kind][code]) || code || '';
}

export const reportKinds = Object.keys(words.reportKind);

// An agency as the page shows it: its name from agencies.js, or its id when the name is not known.
export { agencyName } from './agencies.js';
