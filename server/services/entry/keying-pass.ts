import { EntryRefusal } from './entry-refusal';
import type { PaperKeying } from '../../repositories/paper-keyings';

/**
 * Which keying of a paper form this one is (SIPAS.md section 8). With double entry off one
 * keying records the form; with it on, a form is keyed twice, blind, by two different accounts.
 */

/** The earlier keyings of the form, pass 1 first: who keyed them, when, and whether they became a response. */
export type EarlierKeying = Pick<PaperKeying, 'enteredBy' | 'endedAt' | 'responseId'>;

function formatTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())} ngày ${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;
}

/** 1 or 2 under double entry, null when one keying is enough; a 409 saying why when the form cannot be keyed now. */
export function nextPass(doubleEntry: boolean, code: string, earlier: EarlierKeying[], user: string): 1 | 2 | null {
  const recorded = earlier.find((k) => k.responseId !== null);
  if (recorded) {
    throw new EntryRefusal('already-keyed', `Phiếu ${code} đã được nhập lúc ${formatTime(recorded.endedAt)} (người nhập ${recorded.enteredBy}): không nhập lại`, 409);
  }
  if (!doubleEntry) {
    // Keyings left open here come from double entry and are waiting for a supervisor.
    if (earlier.length >= 2) throw new EntryRefusal('awaiting-supervisor', `Phiếu ${code} đã được nhập hai lần và đang chờ giám sát đối chiếu`, 409);
    return null;
  }
  if (earlier.length === 0) return 1;
  if (earlier.length >= 2) throw new EntryRefusal('awaiting-supervisor', `Phiếu ${code} đã được nhập đủ hai lần và đang chờ giám sát đối chiếu`, 409);
  if (earlier[0].enteredBy === user) {
    throw new EntryRefusal('keyed-by-you', `Bạn đã nhập lần 1 phiếu ${code}; lần nhập thứ 2 (đối chiếu) phải do một người khác thực hiện`, 409);
  }
  return 2;
}
