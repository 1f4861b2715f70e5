import { codeCheckCharacter, typedCodeShape, wrongCodeMessage } from '../analysis/questionnaire-code';
import { createKeying } from './entry-keys';

/**
 * The small script of the entry page, served as /assets/entry.js (page-scripts.ts). Without
 * it the page is a plain form (type the code, open, tick, save); with it, the code opens the
 * form as soon as it is complete, each key answers one item (the keying model in
 * entry-keys.ts, shipped as its own source text), Enter saves in the background and puts the
 * cursor back in the code field.
 *
 * The code field takes the code and nothing more: once the typed code is complete (the wave's
 * unit codes give its length, analysis/questionnaire-code.ts), its check character is checked
 * at once and the server is asked whether the form can be keyed (already keyed, another unit,
 * not released…), and the answer is shown next to the field before any answer is typed. Keys
 * typed after a complete code never enter the field: while the form is being looked up they are
 * held and replayed into it, so a fast clerk or a scanner loses nothing; when the code is
 * refused they are dropped, and the clerk is told.
 */
export function entryScript(): string {
  // Transpilers that keep function names (tsx does) call a __name helper inside the body.
  return `(function(){
var __name = function (f) { return f; };
var createKeying = ${createKeying.toString()};
var codeCheckCharacter = ${codeCheckCharacter.toString()};
var typedCodeShape = ${typedCodeShape.toString()};
var wrongCodeMessage = ${wrongCodeMessage.toString()};
var items = JSON.parse(document.getElementById('entry-items').textContent);
var codeForm = document.getElementById('code-form');
var codeInput = document.getElementById('code');
var codeMessage = document.getElementById('code-message');
var units = (codeForm.dataset.units || '').split(' ').filter(Boolean);
var form = document.getElementById('entry-form');
var outcomeForm = document.getElementById('outcome-form');
var hint = document.getElementById('hint');
var messages = document.getElementById('messages');
var sets = form.querySelectorAll('fieldset.item');
var comment = form.querySelector('textarea');
var keying = null, generation = 0, saving = false;
// The lookup a complete code started: the keys typed after the code meanwhile (replayed into
// the form if it opens) and whether Enter came too (a scanner's, or the clerk's after the answers).
var pending = null;
// The refusal shown at the code field, so a note about dropped keys can follow it.
var codeRefusal = '';
var EXTRA_KEYS = 'Các phím gõ thêm sau mã không được nhận: sửa mã bằng Backspace, hoặc nhấn Esc để xóa rồi gõ lại.';

function shapeOf(value) { return typedCodeShape(value, units, codeCheckCharacter); }
/** A complete code that no longer unit code can continue: further keys are not part of it. */
function codeComplete() { var s = shapeOf(codeInput.value); return s.kind === 'complete' && !s.canGrow; }
function sayAtCode(kind, text) {
  codeRefusal = kind === 'error' ? text : '';
  codeMessage.textContent = text || '';
  codeMessage.className = 'code-message' + (text ? ' ' + kind : '');
  if (kind === 'error') codeInput.setAttribute('aria-invalid', 'true'); else codeInput.removeAttribute('aria-invalid');
}
/** An error or ok box at the top; lines are texts, or a field's problem linked to its item. */
function say(kind, text, lines) {
  messages.innerHTML = '';
  var box = document.createElement('div');
  box.className = kind;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  var head = document.createElement('p');
  head.style.margin = '0';
  head.textContent = text;
  box.appendChild(head);
  if (lines && lines.length) {
    var list = document.createElement('ul');
    lines.forEach(function (line) {
      var li = document.createElement('li');
      if (typeof line === 'string') li.textContent = line;
      else {
        var link = document.createElement('a');
        link.href = '#item-' + line.field;
        link.textContent = line.label;
        li.appendChild(link);
        li.appendChild(document.createTextNode(': ' + line.message));
      }
      list.appendChild(li);
    });
    box.appendChild(list);
  }
  messages.appendChild(box);
}
function clearProblems() {
  form.querySelectorAll('.field-error').forEach(function (p) { p.remove(); });
  form.querySelectorAll('[aria-invalid]').forEach(function (x) { x.removeAttribute('aria-invalid'); x.removeAttribute('aria-describedby'); });
}
/** Shows each problem at its item; returns the index of the first item with one, or -1. */
function showProblems(problems) {
  clearProblems();
  var first = -1;
  problems.forEach(function (p) {
    var set = document.getElementById('item-' + p.field);
    if (!set) return;
    var note = document.createElement('p');
    note.className = 'field-error';
    note.id = p.field + '-error';
    note.textContent = p.message;
    set.appendChild(note);
    var target = set.querySelector('textarea') || set;
    target.setAttribute('aria-invalid', 'true');
    target.setAttribute('aria-describedby', note.id);
    var at = Array.prototype.indexOf.call(sets, set);
    if (first < 0 || at < first) first = at;
  });
  return first;
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
  // A save the server refused (no JavaScript needed for it): the cursor goes to the first item to fix.
  var refused = Array.prototype.findIndex.call(sets, function (set) { return set.querySelector('.field-error'); });
  keying.moveTo(refused >= 0 ? refused : last + 1);
}
function openForm(found, extra, enter) {
  generation++;
  form.reset();
  clearProblems();
  messages.innerHTML = '';
  form.elements.code.value = found.code;
  form.elements.opened_at.value = found.openedAt;
  outcomeForm.elements.code.value = found.code;
  codeInput.value = found.code;
  sayAtCode('warning', found.warning);
  document.getElementById('form-code').textContent = found.code;
  document.getElementById('form-unit').textContent = found.unitName + ' (' + found.unitCode + ')';
  document.getElementById('form-pass').textContent = found.pass ? 'lần nhập ' + found.pass + (found.pass === 2 ? ' (đối chiếu, không xem lần 1)' : '') : '';
  form.hidden = false;
  outcomeForm.hidden = false;
  keying = createKeying(items);
  sync();
  for (var i = 0; i < extra.length; i++) press(extra[i], null);
  if (enter) press('Enter', null);
}
function clearCode() {
  pending = null;
  codeInput.value = '';
  sayAtCode(null, '');
  codeInput.focus();
}
function closeForm() {
  generation++;
  keying = null;
  form.hidden = true;
  outcomeForm.hidden = true;
  clearCode();
}
function lookup(raw, explicit, held) {
  var sent = generation;
  var mine = explicit ? null : (pending = { raw: raw, held: held || [], enter: false });
  fetch(codeForm.dataset.lookup + '?code=' + encodeURIComponent(raw), { headers: { accept: 'application/json' } })
    .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
    .then(function (res) {
      if (mine) {
        if (pending !== mine) return;
        pending = null;
      }
      var now = codeInput.value;
      if (sent !== generation || keying || now.indexOf(raw) !== 0) return;
      var enter = mine ? mine.enter : false;
      if (res.ok && (explicit || !res.body.prefixOfAnother)) {
        openForm(res.body, now.slice(raw.length) + (mine ? mine.held.join('') : ''), enter);
      } else if (enter) {
        // Enter came while the code was looked up and the code alone did not open a form: Enter looks up the line as typed.
        lookup(now, true);
      } else if (!explicit && now !== raw) {
        // A longer unit's code may go on from this one (SNV, SNV1) and more was typed: read the longer line.
        codeChanged([]);
      } else if (!res.ok && (explicit || !(res.body.state === 'unknown' && shapeOf(raw).canGrow))) {
        // (An unknown code that a longer unit's code may continue waits for more keys or Enter.)
        sayAtCode('error', res.body.error + (mine && mine.held.length ? ' ' + EXTRA_KEYS : ''));
        if (explicit) codeInput.select();
      }
    })
    .catch(function () { if (explicit) sayAtCode('error', 'Không kết nối được máy chủ: kiểm tra mạng rồi nhấn Enter lần nữa'); });
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
      if (!res.ok) {
        // Nothing is lost: the answers stay, each problem is shown at its item and the cursor goes to the first.
        var fields = res.body.fields || [];
        var first = showProblems(fields);
        say('error', res.body.error, fields.length ? fields : res.body.details);
        if (first >= 0) keying.moveTo(first);
        sync();
        return;
      }
      closeForm();
      say('ok', res.body.message);
      var f = res.body.figures;
      if (f) document.getElementById('figures').textContent = f.summary;
    })
    .catch(function () { saving = false; say('error', 'Chưa lưu được: không kết nối được máy chủ. Nhấn Enter để gửi lại.'); });
}
/** Applies one key; event is null when replaying keys held while the code was looked up. */
function press(key, event) {
  var onText = items[keying.index()] && items[keying.index()].kind === 'comment';
  var out = keying.press(key, onText ? comment.value.length : 0);
  if (out.kind === 'type') {
    if (!event && key.length === 1 && comment.value.length < comment.maxLength) comment.value += key;
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
  if (pending && now.indexOf(pending.raw) === 0) pending.enter = true;
  else lookup(now, true);
});
codeInput.addEventListener('keydown', function (e) {
  if (e.key === 'Escape') {
    e.preventDefault();
    if (keying) closeForm();
    else clearCode();
    return;
  }
  if (keying || e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) return;
  // A key typed over a selection replaces it: that is a new code.
  if (codeInput.selectionStart !== codeInput.selectionEnd || !codeComplete()) return;
  e.preventDefault();
  if (pending) pending.held.push(e.key);
  else if (codeRefusal) sayAtCode('error', codeRefusal.indexOf(EXTRA_KEYS) >= 0 ? codeRefusal : codeRefusal + ' ' + EXTRA_KEYS);
});
/** Reads the code field after a change: checks a complete code at once, then asks the server about it. */
function codeChanged(held) {
  var value = codeInput.value, shape = shapeOf(value);
  if (shape.kind === 'complete' && !shape.canGrow && shape.end < value.length) {
    // Pasted, or sent without key events: the code stays in the field, the rest is held like typed keys.
    held = held.concat(value.slice(shape.end).split(''));
    codeInput.value = value = value.slice(0, shape.end);
  }
  if (shape.kind !== 'complete') { sayAtCode(null, ''); return; }
  if (!shape.checks) {
    sayAtCode(shape.canGrow ? null : 'error', shape.canGrow ? '' : wrongCodeMessage(value.trim()));
    return;
  }
  sayAtCode(null, '');
  lookup(value, false, held);
}
codeInput.addEventListener('input', function () {
  if (keying) return;
  // Keys after a code being looked up that a longer unit's code may continue wait for its answer.
  if (pending && codeInput.value.length > pending.raw.length && codeInput.value.indexOf(pending.raw) === 0) return;
  pending = null;
  codeChanged([]);
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
if (!form.hidden) {
  fromPage();
  sync();
} else if (document.getElementById('confirm-button')) {
  document.getElementById('confirm-button').focus();
} else {
  codeRefusal = codeInput.getAttribute('aria-invalid') ? codeMessage.textContent : '';
  codeInput.focus();
  // A code the server sent back (refused, or an action on it refused) is selected, so typing or scanning the next one replaces it.
  if (codeInput.value) codeInput.select();
}
})();`;
}
