import { criterionCodes, type Questionnaire } from '../../analysis/questionnaire';
import type { Db } from '../db/connect';
import type { Executor, QuestionnaireStatus, ResponseState } from '../db/schema';
import { UserError } from '../errors';
import { recordAudit } from '../repositories/audit';
import { findCountedResponse, lockQuestionnaire, setQuestionnaireStatus } from '../repositories/collection';
import { insertPaperKeying, linkKeyingsToResponse, listKeyingsOf, listOpenKeyings, type PaperKeying } from '../repositories/paper-keyings';
import { findQuestionnaire } from '../repositories/questionnaire-versions';
import { findCounterQuestionnaire, isPrefixOfAnotherCode, releaseNextReserve, type CounterQuestionnaire } from '../repositories/reserves';
import { listUnits } from '../repositories/units';
import { updateWaveSettings, type Wave } from '../repositories/waves';
import { normaliseQuestionnaireCode } from './questionnaire-codes';
import { checkResponse, recordResponse, ResponseValidationError, type FieldProblem } from './responses';
import { requireWave } from './waves';
import { compareKeyings, settleKeyings, type FieldChoice, type FieldDifference } from './double-entry';
import { parseKeyedForm, type FormBody } from '../forms/keyed-form';

export type { FieldChoice, FormBody };

/**
 * Post-office data entry (SIPAS.md section 8): a clerk keys a returned paper form, found by its
 * printed code. With double entry off, one keying records the response at once. With it on,
 * a form is keyed twice, blind, by two different accounts; two agreeing keyings record the
 * response, differing ones wait for a supervisor to settle each differing field. Every
 * response goes through recordResponse, which applies the one-response-per-questionnaire and
 * validity rules. Clerks see only the code and the unit, never the person.
 */

export const questionnaireStatusLabel: Record<QuestionnaireStatus, string> = {
  drawn: 'chưa phát',
  dispatched: 'đã phát',
  undeliverable: 'không phát được',
  refused: 'từ chối',
  'returned-paper': 'đã nhận phiếu giấy',
  'answered-qr': 'đã trả lời qua QR',
  invalid: 'không hợp lệ',
  replaced: 'đã được thay thế',
};

/** The form a clerk is about to key. */
export interface OpenedForm {
  questionnaireId: number;
  code: string;
  unitCode: string;
  unitName: string;
  /** 1 or 2 under double entry; null when one keying is enough. */
  pass: 1 | 2 | null;
  /** Server time the form was opened: keying time is measured from it. */
  openedAt: string;
  /** Another code starts with this one: the page waits for Enter instead of opening at once. */
  prefixOfAnother: boolean;
  warning: string | null;
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())} ngày ${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;
}

/** Reads a typed or scanned code and finds its questionnaire in the wave; rejects typos. */
async function findByTypedCode(db: Executor, wave: Wave, typed: string): Promise<CounterQuestionnaire> {
  const shown = typed.normalize('NFC').trim();
  if (shown === '') throw new UserError('Chưa nhập mã phiếu');
  const code = normaliseQuestionnaireCode(shown);
  if (!code) {
    throw new UserError(`Mã phiếu "${shown}" sai (ký tự kiểm tra không khớp hoặc sai dạng, ví dụ đúng: 23-SNV-0042-7): hãy đọc lại mã in trên phiếu`);
  }
  const waveDigits = String(wave.year % 100).padStart(2, '0');
  if (!code.startsWith(`${waveDigits}-`)) {
    throw new UserError(`Mã phiếu ${code} không thuộc đợt ${wave.year} (mã của đợt này bắt đầu bằng ${waveDigits}-)`);
  }
  const questionnaire = await findCounterQuestionnaire(db, wave.year, code);
  if (!questionnaire) throw new UserError(`Không có phiếu mã ${code} trong đợt ${wave.year}`, 404);
  if (!questionnaire.released) {
    throw new UserError(`Phiếu ${code} là phiếu dự phòng chưa được phát hành: chưa thể nhận phiếu trả lời cho mã này`, 409);
  }
  return questionnaire;
}

function requireOpenWave(wave: Wave): void {
  if (wave.status === 'closed') throw new UserError(`Đợt khảo sát ${wave.year} đã kết thúc, không nhận thêm phiếu`, 409);
}

/** Which keying this one is, or why the form cannot be keyed now. */
function nextPass(wave: Wave, code: string, keyings: PaperKeying[], user: string): 1 | 2 | null {
  const recorded = keyings.find((k) => k.responseId !== null);
  if (recorded) {
    throw new UserError(`Phiếu ${code} đã được nhập lúc ${formatTime(recorded.endedAt)} (người nhập ${recorded.enteredBy}): không nhập lại`, 409);
  }
  if (!wave.settings.doubleEntry) {
    // Keyings left open here come from double entry and are waiting for a supervisor.
    if (keyings.length >= 2) throw new UserError(`Phiếu ${code} đã được nhập hai lần và đang chờ giám sát đối chiếu`, 409);
    return null;
  }
  if (keyings.length === 0) return 1;
  if (keyings.length >= 2) throw new UserError(`Phiếu ${code} đã được nhập đủ hai lần và đang chờ giám sát đối chiếu`, 409);
  if (keyings[0].enteredBy === user) {
    throw new UserError(`Bạn đã nhập lần 1 phiếu ${code}; lần nhập thứ 2 (đối chiếu) phải do một người khác thực hiện`, 409);
  }
  return 2;
}

export async function openForKeying(db: Db, year: number, typed: string, user: string): Promise<OpenedForm> {
  const wave = await requireWave(db, year);
  requireOpenWave(wave);
  const q = await findByTypedCode(db, wave, typed);
  const pass = nextPass(wave, q.code, await listKeyingsOf(db, q.id), user);
  const counted = await findCountedResponse(db, q.id);
  let warning: string | null = null;
  if (counted) warning = `Phiếu ${q.code} đã có câu trả lời được tính (${counted.channel === 'qr' ? 'qua QR' : counted.channel}); phiếu giấy này sẽ được giữ lại để xem xét`;
  else if (q.status === 'undeliverable' || q.status === 'refused') warning = `Phiếu ${q.code} đang ở trạng thái "${questionnaireStatusLabel[q.status]}"; phiếu trả lời vẫn được nhận`;
  return {
    questionnaireId: q.id,
    code: q.code,
    unitCode: q.unitCode,
    unitName: q.unitName,
    pass,
    openedAt: new Date().toISOString(),
    prefixOfAnother: await isPrefixOfAnotherCode(db, year, q.code),
    warning,
  };
}

export type KeyingOutcome =
  | { kind: 'recorded'; state: ResponseState; note: string | null; pass: 1 | 2 | null }
  | { kind: 'awaiting-second-pass' }
  | { kind: 'mismatch'; fields: number };

export interface KeyingResult {
  code: string;
  unitName: string;
  outcome: KeyingOutcome;
  message: string;
}

export function keyingMessage(code: string, unitName: string, outcome: KeyingOutcome): string {
  switch (outcome.kind) {
    case 'awaiting-second-pass':
      return `Đã lưu lần nhập 1 phiếu ${code} (${unitName}); chờ một người khác nhập lần 2 để đối chiếu.`;
    case 'mismatch':
      return `Đã lưu lần nhập 2 phiếu ${code} (${unitName}): ${outcome.fields} trường khác lần 1, chuyển giám sát đối chiếu.`;
    case 'recorded': {
      const matched = outcome.pass === 2 ? 'Hai lần nhập khớp; ' : '';
      if (outcome.state === 'counted') return `${matched}Đã lưu phiếu ${code} (${unitName}): được tính.`;
      if (outcome.state === 'review') return `${matched}Đã lưu phiếu ${code} (${unitName}), giữ lại để xem xét: ${outcome.note ?? ''}`;
      return `${matched}Đã lưu phiếu ${code} (${unitName}) nhưng không hợp lệ: ${outcome.note ?? ''}`;
    }
  }
}

async function requireQuestionnaireDefinition(db: Executor, year: number): Promise<Questionnaire> {
  const questionnaire = await findQuestionnaire(db, year);
  if (!questionnaire) throw new UserError(`Đợt ${year} chưa có phiếu khảo sát`, 409);
  return questionnaire;
}

/** Stores one keying of a paper form and, when it completes the form, records the response. */
export async function submitKeying(
  db: Db,
  input: { year: number; typedCode: string; user: string; body: FormBody; corrections: number; openedAt: string | null },
): Promise<KeyingResult> {
  const wave = await requireWave(db, input.year);
  requireOpenWave(wave);
  const questionnaire = await requireQuestionnaireDefinition(db, wave.year);
  const form = parseKeyedForm(questionnaire, input.body);
  const checked = checkResponse(questionnaire, wave.settings, form);
  if (!checked.ok) throw new ResponseValidationError(checked.problems);
  const endedAt = new Date().toISOString();
  const startedAt = plausibleStart(input.openedAt, endedAt);

  return db.transaction().execute(async (trx) => {
    const q = await findByTypedCode(trx, wave, input.typedCode);
    // Serialises keyings of one form, so two clerks cannot both become pass 1.
    await lockQuestionnaire(trx, q.id);
    const earlier = await listKeyingsOf(trx, q.id);
    const pass = nextPass(wave, q.code, earlier, input.user);
    await insertPaperKeying(trx, {
      waveYear: wave.year,
      questionnaireId: q.id,
      pass: pass ?? 1,
      enteredBy: input.user,
      answers: form.answers,
      profile: form.profile,
      comment: form.comment,
      corrections: input.corrections,
      startedAt,
      endedAt,
    });
    let outcome: KeyingOutcome;
    if (pass === 1) {
      outcome = { kind: 'awaiting-second-pass' };
    } else {
      const differences = pass === 2 ? compareKeyings(questionnaire, earlier[0], form) : [];
      if (differences.length > 0) {
        outcome = { kind: 'mismatch', fields: differences.length };
      } else {
        const recorded = await recordResponse(trx, {
          waveYear: wave.year,
          questionnaireId: q.id,
          unitCode: q.unitCode,
          channel: 'paper',
          ...form,
          enteredBy: input.user,
        });
        await linkKeyingsToResponse(trx, q.id, recorded.responseId);
        outcome = { kind: 'recorded', state: recorded.state, note: recorded.note, pass };
      }
    }
    await recordAudit(trx, {
      actor: input.user,
      action: 'paper.keyed',
      waveYear: wave.year,
      detail: { code: q.code, pass, outcome: outcome.kind === 'recorded' ? outcome.state : outcome.kind, corrections: input.corrections },
    });
    return { code: q.code, unitName: q.unitName, outcome, message: keyingMessage(q.code, q.unitName, outcome) };
  });
}

/** The page reports when the form was opened; a missing or odd value falls back to the save time. */
function plausibleStart(openedAt: string | null, endedAt: string): string {
  const opened = openedAt ? Date.parse(openedAt) : NaN;
  const ended = Date.parse(endedAt);
  if (!Number.isFinite(opened) || opened > ended || ended - opened > 12 * 3_600_000) return endedAt;
  return new Date(opened).toISOString();
}

export interface Mismatch {
  questionnaireId: number;
  code: string;
  unitCode: string;
  unitName: string;
  pass1By: string;
  pass2By: string;
  differences: FieldDifference[];
}

/** Forms whose two keyings differ and that no supervisor has settled yet. */
export async function listMismatches(db: Db, year: number): Promise<Mismatch[]> {
  const questionnaire = await requireQuestionnaireDefinition(db, year);
  const units = new Map((await listUnits(db, year)).map((u) => [u.code, u.name]));
  const byQuestionnaire = new Map<number, (PaperKeying & { code: string; unitCode: string })[]>();
  for (const keying of await listOpenKeyings(db, year)) {
    byQuestionnaire.set(keying.questionnaireId, [...(byQuestionnaire.get(keying.questionnaireId) ?? []), keying]);
  }
  const mismatches: Mismatch[] = [];
  for (const [questionnaireId, [first, second]] of byQuestionnaire) {
    if (!second) continue;
    mismatches.push({
      questionnaireId,
      code: first.code,
      unitCode: first.unitCode,
      unitName: units.get(first.unitCode) ?? first.unitCode,
      pass1By: first.enteredBy,
      pass2By: second.enteredBy,
      differences: compareKeyings(questionnaire, first, second),
    });
  }
  return mismatches;
}

/**
 * Settles a double-entry mismatch: every differing field takes the chosen keying's value or
 * the supervisor's own; agreeing fields stay as keyed. The settled form is then recorded.
 */
export async function settleMismatch(
  db: Db,
  input: { year: number; questionnaireId: number; choices: Record<string, FieldChoice | undefined>; actor: string },
): Promise<KeyingResult> {
  const wave = await requireWave(db, input.year);
  requireOpenWave(wave);
  const questionnaire = await requireQuestionnaireDefinition(db, wave.year);
  return db.transaction().execute(async (trx) => {
    const target = await lockQuestionnaire(trx, input.questionnaireId);
    if (!target || target.waveYear !== wave.year) throw new UserError(`Không có phiếu số ${input.questionnaireId} trong đợt ${wave.year}`, 404);
    const keyings = await listKeyingsOf(trx, target.id);
    const [first, second] = keyings;
    if (!first || !second || keyings.some((k) => k.responseId !== null)) {
      throw new UserError(`Phiếu ${target.code} không còn chờ đối chiếu (đã được xử lý hoặc chưa đủ hai lần nhập)`, 409);
    }
    const { settled, picks, differences } = settleKeyings(questionnaire, first, second, input.choices);
    const recorded = await recordResponse(trx, {
      waveYear: wave.year,
      questionnaireId: target.id,
      unitCode: target.unitCode,
      channel: 'paper',
      ...settled,
      enteredBy: input.actor,
    });
    await linkKeyingsToResponse(trx, target.id, recorded.responseId);
    await recordAudit(trx, { actor: input.actor, action: 'paper.settled', waveYear: wave.year, detail: { code: target.code, fields: picks, state: recorded.state } });
    const unitName = (await listUnits(trx, wave.year)).find((u) => u.code === target.unitCode)?.name ?? target.unitCode;
    const outcome: KeyingOutcome = { kind: 'recorded', state: recorded.state, note: recorded.note, pass: null };
    return { code: target.code, unitName, outcome, message: `Đã đối chiếu ${differences.length} trường. ${keyingMessage(target.code, unitName, outcome)}` };
  });
}

/** Undeliverable or refused: the form will not come back, so the unit's next reserve is released to print. */
export async function recordNoForm(
  db: Db,
  input: { year: number; typedCode: string; outcome: 'undeliverable' | 'refused'; actor: string },
): Promise<{ code: string; unitName: string; replacement: string | null; message: string }> {
  const wave = await requireWave(db, input.year);
  requireOpenWave(wave);
  return db.transaction().execute(async (trx) => {
    const q = await findByTypedCode(trx, wave, input.typedCode);
    await lockQuestionnaire(trx, q.id);
    const current = (await findCounterQuestionnaire(trx, wave.year, q.code)) ?? q;
    if (current.status !== 'drawn' && current.status !== 'dispatched') {
      throw new UserError(`Phiếu ${q.code} đang ở trạng thái "${questionnaireStatusLabel[current.status]}": không thể đánh dấu ${questionnaireStatusLabel[input.outcome]}`, 409);
    }
    if ((await listKeyingsOf(trx, q.id)).length > 0 || (await findCountedResponse(trx, q.id))) {
      throw new UserError(`Phiếu ${q.code} đã có phiếu trả lời: không thể đánh dấu ${questionnaireStatusLabel[input.outcome]}`, 409);
    }
    await setQuestionnaireStatus(trx, q.id, input.outcome);
    const replacement = await releaseNextReserve(trx, wave.year, q.unitCode, q.id);
    await recordAudit(trx, {
      actor: input.actor,
      action: `questionnaire.${input.outcome}`,
      waveYear: wave.year,
      detail: { code: q.code, replacement: replacement?.code ?? null },
    });
    const what = `Phiếu ${q.code} (${q.unitName}): ${questionnaireStatusLabel[input.outcome]}.`;
    const message = replacement
      ? `${what} Đã phát hành phiếu dự phòng ${replacement.code} thay thế; phiếu này có trong danh sách cần in.`
      : `${what} Đơn vị ${q.unitName} đã hết phiếu dự phòng: không có phiếu thay thế.`;
    return { code: q.code, unitName: q.unitName, replacement: replacement?.code ?? null, message };
  });
}

/**
 * Turns double entry on or off. Turning it off records the forms keyed once and still waiting
 * for their second keying (one keying is then enough); forms in dispute stay with the supervisor.
 */
export async function setDoubleEntry(db: Db, year: number, on: boolean, actor: string): Promise<{ recorded: number }> {
  const wave = await requireWave(db, year);
  return db.transaction().execute(async (trx) => {
    await updateWaveSettings(trx, year, { ...wave.settings, doubleEntry: on });
    let recorded = 0;
    if (!on) {
      const open = await listOpenKeyings(trx, year);
      const passes = new Map<number, number>();
      for (const k of open) passes.set(k.questionnaireId, (passes.get(k.questionnaireId) ?? 0) + 1);
      for (const keying of open) {
        if (passes.get(keying.questionnaireId) !== 1) continue;
        const response = await recordResponse(trx, {
          waveYear: year,
          questionnaireId: keying.questionnaireId,
          unitCode: keying.unitCode,
          channel: 'paper',
          answers: keying.answers,
          profile: keying.profile,
          comment: keying.comment,
          enteredBy: keying.enteredBy,
        });
        await linkKeyingsToResponse(trx, keying.questionnaireId, response.responseId);
        recorded++;
      }
    }
    await recordAudit(trx, { actor, action: 'wave.double-entry', waveYear: year, detail: { on, recordedSinglePass: recorded } });
    return { recorded };
  });
}

/** Keying speed and corrections of one operator. */
export interface OperatorFigures {
  enteredBy: string;
  forms: number;
  /** Forms saved in the last 60 minutes. */
  lastHour: number;
  /** 3600 / median seconds per form: robust to a form left open over a break. */
  formsPerHour: number | null;
  medianSeconds: number | null;
  corrections: number;
}

export function operatorFigures(timings: { enteredBy: string; corrections: number; startedAt: string; endedAt: string }[], now: Date): OperatorFigures[] {
  const byClerk = new Map<string, typeof timings>();
  for (const t of timings) byClerk.set(t.enteredBy, [...(byClerk.get(t.enteredBy) ?? []), t]);
  return [...byClerk]
    .map(([enteredBy, rows]) => {
      const seconds = rows.map((r) => (Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000).sort((a, b) => a - b);
      const mid = Math.floor(seconds.length / 2);
      const median = seconds.length % 2 === 1 ? seconds[mid] : (seconds[mid - 1] + seconds[mid]) / 2;
      return {
        enteredBy,
        forms: rows.length,
        lastHour: rows.filter((r) => now.getTime() - Date.parse(r.endedAt) <= 3_600_000).length,
        formsPerHour: median > 0 ? 3600 / median : null,
        medianSeconds: median,
        corrections: rows.reduce((sum, r) => sum + r.corrections, 0),
      };
    })
    .sort((a, b) => a.enteredBy.localeCompare(b.enteredBy));
}
