// Builds DOM with textContent only: data never reaches innerHTML, so a name such as <script> shows as text.
// h('p', { class: 'meta' }, 'text', child) — attributes go through setAttribute (never on* handlers: use `on`).
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    } else if (name.startsWith('on')) {
      throw new Error('use { on: { event: handler } }');
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replaces what <main> shows and moves focus there, so a screen reader starts at the new screen.
export function show(...children) {
  const main = document.getElementById('main');
  main.replaceChildren();
  append(main, children);
  main.focus();
}

// What a hidden case, entry, file or referral says: exactly what a missing one says.
export const notFound = '見つかりません（削除されたか、見る権限がありません）。';

export function status(text) {
  document.getElementById('status').textContent = text || '';
}

export function formatDateTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
