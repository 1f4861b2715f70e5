import { createKeying } from './entry-keys';

/**
 * The small script of the entry page, served as /assets/entry.js (page-scripts.ts). Without
 * it the page is a plain form (type the code, open, tick, save); with it, the code opens the
 * form as soon as it is complete, each key answers one item (the keying model in
 * entry-keys.ts, shipped as its own source text), Enter saves in the background and puts the
 * cursor back in the code field.
 *
 * Keys typed while the code is being looked up land in the code field; they are taken off its
 * end and replayed into the form, so a fast clerk or a scanner loses nothing.
 */
export function entryScript(): string {
  // Transpilers that keep function names (tsx does) call a __name helper inside the body.
  return `(function(){
var __name = function (f) { return f; };
var createKeying = ${createKeying.toString()};
var items = JSON.parse(document.getElementById('entry-items').textContent);
var codeForm = document.getElementById('code-form');
var codeInput = document.getElementById('code');
var form = document.getElementById('entry-form');
var outcomeForm = document.getElementById('outcome-form');
var hint = document.getElementById('hint');
var messages = document.getElementById('messages');
var sets = form.querySelectorAll('fieldset.item');
var comment = form.querySelector('textarea');
var keying = null, generation = 0, saving = false;
// A quick clerk may type the code, the answers and Enter before the code's lookup comes back:
// the Enter then waits for the form instead of looking up the whole line as a code.
var pendingCode = null, enterWaiting = false;

function say(kind, text, details) {
  messages.innerHTML = '';
  var box = document.createElement('div');
  box.className = kind;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.textContent = text;
  if (details && details.length) {
    var list = document.createElement('ul');
    details.forEach(function (d) { var li = document.createElement('li'); li.textContent = d; list.appendChild(li); });
    box.appendChild(list);
  }
  messages.appendChild(box);
}
function sync() {
  var values = keying.values(), at = keying.index();
  items.forEach(function (item, i) {
    var set = sets[i];
    set.classList.toggle('current', i === at);
    if (item.kind === 'comment') return;
    set.querySelectorAll('input').forEach(function (input) {
      var v = values[i], n = Number(input.value);
      // An item left blank by 0 or space shows its "0" box ticked once the cursor has passed it.
      input.checked = Array.isArray(v) ? v.indexOf(n) >= 0 : v === null ? i < at && n === 0 : v === n;
    });
  });
  form.elements.corrections.value = String(keying.corrections());
  var current = sets[at];
  if (current && items[at].kind === 'comment') comment.focus();
  else if (current) current.focus();
  else form.querySelector('button[type=submit]').focus();
}
function fromPage() {
  keying = createKeying(items);
  var last = -1;
  items.forEach(function (item, i) {
    if (item.kind === 'comment') return;
    var checked = Array.prototype.filter.call(sets[i].querySelectorAll('input'), function (x) { return x.checked; }).map(function (x) { return Number(x.value); });
    if (checked.length === 0) return;
    keying.set(i, item.kind === 'multi' ? checked : checked[0] === 0 ? null : checked[0]);
    last = i;
  });
  keying.moveTo(last + 1);
}
function openForm(found, extra) {
  generation++;
  form.reset();
  messages.innerHTML = '';
  form.elements.code.value = found.code;
  form.elements.opened_at.value = found.openedAt;
  outcomeForm.elements.code.value = found.code;
  codeInput.value = found.code;
  document.getElementById('form-code').textContent = found.code;
  document.getElementById('form-unit').textContent = found.unitName + ' (' + found.unitCode + ')';
  document.getElementById('form-pass').textContent = found.pass ? 'lần nhập ' + found.pass + (found.pass === 2 ? ' (đối chiếu, không xem lần 1)' : '') : '';
  var warning = document.getElementById('form-warning');
  warning.textContent = found.warning || '';
  warning.hidden = !found.warning;
  form.hidden = false;
  outcomeForm.hidden = false;
  keying = createKeying(items);
  sync();
  for (var i = 0; i < extra.length; i++) press(extra[i], null);
  if (enterWaiting) { enterWaiting = false; press('Enter', null); }
}
function closeForm() {
  generation++;
  pendingCode = null;
  enterWaiting = false;
  keying = null;
  form.hidden = true;
  outcomeForm.hidden = true;
  codeInput.value = '';
  codeInput.focus();
}
function lookup(raw, explicit) {
  var sent = generation;
  if (!explicit) pendingCode = raw;
  fetch(codeForm.dataset.lookup + '?code=' + encodeURIComponent(raw), { headers: { accept: 'application/json' } })
    .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
    .then(function (res) {
      if (!explicit && pendingCode === raw) pendingCode = null;
      if (sent !== generation || keying) return;
      var now = codeInput.value;
      var opens = res.ok && now.indexOf(raw) === 0 && !(res.body.prefixOfAnother && !explicit);
      if (!opens && !explicit && enterWaiting) {
        // The code alone did not open a form: the waiting Enter looks up the line as typed.
        enterWaiting = false;
        lookup(now, true);
        return;
      }
      if (opens) {
        openForm(res.body, now.slice(raw.length));
      } else if (explicit && now === raw) {
        say('error', res.body.error, res.body.details);
        codeInput.select();
      }
    })
    .catch(function () { if (explicit) say('error', 'Không kết nối được máy chủ: kiểm tra mạng rồi nhấn Enter lần nữa'); });
}
function save() {
  if (saving) return;
  saving = true;
  var sentAt = generation;
  fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { accept: 'application/json' } })
    .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
    .then(function (res) {
      saving = false;
      if (sentAt !== generation) return;
      if (!res.ok) { say('error', res.body.error, res.body.details); sync(); return; }
      closeForm();
      say('ok', res.body.message);
      var f = res.body.figures;
      if (f) document.getElementById('figures').textContent = f.summary;
    })
    .catch(function () { saving = false; say('error', 'Chưa lưu được: không kết nối được máy chủ. Nhấn Enter để gửi lại.'); });
}
/** Applies one key; event is null when replaying keys taken off the code field. */
function press(key, event) {
  var onText = items[keying.index()] && items[keying.index()].kind === 'comment';
  var out = keying.press(key, onText ? comment.value.length : 0);
  if (out.kind === 'type') {
    if (!event && key.length === 1) comment.value += key;
    return;
  }
  if (event && !(out.kind === 'ignore' && key !== 'Enter')) event.preventDefault();
  if (out.kind === 'reject') { hint.textContent = out.hint; hint.hidden = false; return; }
  hint.hidden = true;
  if (out.kind === 'save') { sync(); save(); return; }
  if (out.kind === 'keyed' || out.kind === 'back') sync();
}

codeForm.addEventListener('submit', function (e) {
  e.preventDefault();
  var now = codeInput.value;
  if (pendingCode !== null && now.length > pendingCode.length && now.indexOf(pendingCode) === 0) enterWaiting = true;
  else lookup(now, true);
});
codeInput.addEventListener('input', function () {
  if (keying) return;
  if (codeInput.value.toUpperCase().replace(/[\\s-]/g, '').length >= 8) lookup(codeInput.value, false);
});
form.addEventListener('submit', function (e) { e.preventDefault(); if (keying) save(); });
form.addEventListener('keydown', function (e) {
  var letter = e.key.toLowerCase();
  if (keying && e.altKey && (letter === 'k' || letter === 't')) {
    e.preventDefault();
    outcomeForm.querySelector('button[value="' + (letter === 'k' ? 'undeliverable' : 'refused') + '"]').click();
    return;
  }
  if (!keying || e.altKey || e.ctrlKey || e.metaKey) return;
  if (e.key === 'Escape') { e.preventDefault(); closeForm(); return; }
  if (e.target === comment && e.key === 'Enter' && e.shiftKey) return;
  var set = e.target.closest && e.target.closest('fieldset.item');
  if (set) {
    var at = Array.prototype.indexOf.call(sets, set);
    if (at !== keying.index() && at >= 0) keying.moveTo(at);
  }
  press(e.key, e);
});
form.addEventListener('change', function (e) {
  var set = e.target.closest('fieldset.item');
  if (!keying || !set || e.target === comment) return;
  var at = Array.prototype.indexOf.call(sets, set);
  var checked = Array.prototype.filter.call(set.querySelectorAll('input'), function (x) { return x.checked; }).map(function (x) { return Number(x.value); });
  keying.set(at, items[at].kind === 'multi' ? checked : checked[0] === 0 ? null : checked[0]);
  keying.moveTo(items[at].kind === 'multi' ? at : at + 1);
  sync();
});
if (!form.hidden) { fromPage(); sync(); } else codeInput.focus();
})();`;
}
