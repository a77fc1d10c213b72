// A case's child (or expectant mother) as one line of text. Always shown through textContent.
export function childName(record) {
  const person = record.child || (record.expectantMother && record.expectantMother.mother);
  const name = person && person.name;
  const text = name ? [name.family, name.given].filter(Boolean).join(' ') : '';
  return text || '（氏名なし）';
}
