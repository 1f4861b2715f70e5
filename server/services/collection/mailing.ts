import QRCode from 'qrcode';
import { toCsv } from '../../../analysis/csv';
import type { Questionnaire } from '../../../analysis/questionnaire';
import { fold } from '../../../sampling';
import type { Db } from '../../db/connect';
import type { Executor } from '../../db/schema';
import { readTransaction, writeTransaction } from '../../db/unit-of-work';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { listMailingOrder, listMailingRecipients, markDispatched, type MailingRecipient } from '../../repositories/mailing';
import { listUnits } from '../../repositories/units';
import { findWave } from '../../repositories/waves';
import { accessKeyFor, formatAccessKey } from './access-keys';
import { assertAllowed, waveFor, waveNotFound } from '../waves/wave-policy';
import { requireQuestionnaire } from '../waves/wave-questionnaire';

/**
 * Mailing packs and the post-office manifest (SIPAS.md sections 2.5 and 13). Both hold
 * personal data, so both are for administrators only and every use is written to the audit
 * log, with counts and never names or addresses.
 *
 * Exporting or printing does not change any status: the administrator marks questionnaires
 * "dispatched" with a separate, explicit action (page button or `--mark-dispatched`) once
 * the post office has them, because a manifest is often exported several times (trial print,
 * mail merge) before anything is actually sent.
 */

export const MANIFEST_COLUMNS = ['questionnaire_code', 'unit_code', 'role', 'applicant_name', 'address', 'phone', 'qr_url'] as const;

/**
 * The same columns named for people (`?headers=vi`): the post office's mail merge shows its
 * fields by these names. Scripts keep the machine names above.
 */
export const MANIFEST_COLUMNS_VI = ['Mã phiếu', 'Mã đơn vị', 'Chính/dự phòng', 'Họ và tên', 'Địa chỉ', 'Điện thoại', 'Đường dẫn trả lời'] as const;

const ROLE_VI = { primary: 'chính', reserve: 'dự phòng' } as const;

/**
 * Letters per printed batch: a wave of 700 letters as one page is ~10 MB of HTML and 2,100
 * sheets that a browser renders slowly and a printer may drop half-way; 50 letters is one
 * print job that can be checked and reprinted on its own.
 */
export const PACK_BATCH_SIZE = 50;

// Administrative words that are written in some addresses and not in others ("TP Long Xuyên",
// "thành phố Long Xuyên", "Long Xuyên"): dropped so such addresses sort together.
const PREFIXES = /^(tinh|thanh pho|tp\.?|quan|q\.|huyen|h\.|thi xa|tx\.?|phuong|p\.|xa|x\.|thi tran|tt\.?|ap|khom|khu pho|kp\.?|to|duong|d\.|so nha|so)\s+/;

/**
 * Sort key for delivery order. The address is split at commas, semicolons and " - " into parts
 * that Vietnamese addresses write from the smallest (house number, street) to the largest
 * (commune, district, province); the key compares them from the last part to the first, so
 * letters go out grouped by province, then district, then commune, then street, then house
 * number. Case, accents and administrative words (tỉnh, thành phố/TP, quận, huyện, thị xã/TX,
 * phường, xã, thị trấn, ấp, khóm, khu phố, tổ, đường, số) are ignored, and numbers compare by
 * value (số 9 before số 10). People without an address come last.
 */
export function deliveryOrderKey(address: string | null): string {
  return keyFromParts(address, new Map());
}

/** deliveryOrderKey, with the keys of the address parts already folded (filled in as it goes). */
function keyFromParts(address: string | null, partKeys: Map<string, string>): string {
  if (!address?.trim()) return '\uffff';
  const parts = address.split(/[,;]| - /);
  const keys: string[] = [];
  for (let i = parts.length - 1; i >= 0; i--) {
    let key = partKeys.get(parts[i]);
    if (key === undefined) partKeys.set(parts[i], (key = partKey(parts[i])));
    if (key !== '') keys.push(key);
  }
  return keys.join('\u0001');
}

function partKey(part: string): string {
  let folded = fold(part);
  for (let previous = ''; previous !== folded; ) {
    previous = folded;
    folded = folded.replace(PREFIXES, '');
  }
  return folded.replace(/\d+/g, (n) => n.padStart(8, '0'));
}

export function sortForDelivery<T extends { address: string | null; code: string }>(recipients: T[]): T[] {
  // A wave's addresses share most of their parts (province, communes, streets, house numbers):
  // each distinct part is folded once, which makes sorting 10,000 letters ~10× cheaper.
  const partKeys = new Map<string, string>();
  const keyed = recipients.map((r) => ({ r, key: keyFromParts(r.address, partKeys) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.r.code < b.r.code ? -1 : a.r.code > b.r.code ? 1 : 0));
  return keyed.map((k) => k.r);
}

export function qrUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/q/${token}`;
}

export function shortUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/k`;
}

/** The QR code as inline SVG, labelled with its address for screen readers and for checking. */
export async function qrSvg(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  const escaped = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return svg.replace('<svg ', `<svg role="img" aria-label="Mã QR: ${escaped}" `).replace(/(<svg[^>]*>)/, `$1<title>${escaped}</title>`);
}

/** The name of the unit letters are asked for (404 when the wave has no such unit); undefined for every unit. */
async function unitNameOf(db: Executor, year: number, unitCode: string | undefined): Promise<string | undefined> {
  if (!unitCode) return undefined;
  const unit = (await listUnits(db, year)).find((u) => u.code === unitCode);
  if (!unit) throw new UserError(`Đơn vị "${unitCode}" không có trong đợt ${year}`, 404);
  return unit.name;
}

/** The recipients in delivery order; the caller has checked that the wave may still send mail. */
async function recipientsFor(db: Executor, year: number, filter: { unitCode?: string; notYetSent?: boolean }): Promise<MailingRecipient[]> {
  await unitNameOf(db, year, filter.unitCode);
  return sortForDelivery(await listMailingRecipients(db, year, filter));
}

export interface ManifestExport {
  csv: string;
  rows: number;
  /** How many questionnaires went from drawn to dispatched (only with markAsDispatched). */
  dispatched: number;
}

/** The post-office manifest, in delivery order; logged with its row count. */
export async function exportManifest(
  trx: Executor,
  options: {
    year: number;
    baseUrl: string;
    actor: string | null;
    unitCode?: string;
    notYetSent?: boolean;
    markAsDispatched?: boolean;
    /** 'vi': Vietnamese column names and roles, for a mail merge; the default is the machine form. */
    headers?: 'machine' | 'vi';
  },
): Promise<ManifestExport> {
  await waveFor(trx, options.year, 'send-mailing');
  const recipients = await recipientsFor(trx, options.year, options);
  const vi = options.headers === 'vi';
  const csv = toCsv(
    recipients.map((r) => [r.code, r.unitCode, vi ? ROLE_VI[r.role] : r.role, r.applicantName, r.address, r.phone, qrUrl(options.baseUrl, r.token)]),
    vi ? MANIFEST_COLUMNS_VI : MANIFEST_COLUMNS,
    { bom: true },
  );
  const dispatched = options.markAsDispatched ? await markDispatched(trx, options.year, recipients.map((r) => r.questionnaireId)) : 0;
  await recordAudit(trx, {
    actor: options.actor,
    action: 'mailing.export',
    waveYear: options.year,
    detail: { rows: recipients.length, unit: options.unitCode ?? null, notYetSent: options.notYetSent ?? false, dispatched },
  });
  return { csv, rows: recipients.length, dispatched };
}

export interface PackLetter extends MailingRecipient {
  qrUrl: string;
  qrSvg: string;
  accessKey: string;
}

export interface MailingPack {
  questionnaire: Questionnaire;
  /** This batch's letters. */
  letters: PackLetter[];
  /** Whose letters these are: the unit's name, or which of the wave's letters. */
  unitLabel: string;
  /** Which batch this is (from 1), of how many, and how many letters all batches hold. */
  batch: { number: number; count: number; total: number; size: number };
}

/**
 * One batch of letters (one per released questionnaire, in delivery order, PACK_BATCH_SIZE per
 * batch) with their QR codes; logged. Drawing the QR codes takes a while, so it happens outside
 * the write lock, and the writing step checks again that the contacts may still be used.
 */
export async function buildMailingPack(
  db: Db,
  options: { year: number; baseUrl: string; actor: string | null; unitCode?: string; notYetSent?: boolean; batch?: number },
): Promise<MailingPack> {
  const wave = await findWave(db, options.year);
  if (!wave) throw waveNotFound(options.year);
  assertAllowed(wave, 'send-mailing');
  const questionnaire = await requireQuestionnaire(db, options.year);
  const unitName = await unitNameOf(db, options.year, options.unitCode);
  const unitLabel = unitName ?? (options.notYetSent ? 'các phiếu chưa gửi' : 'tất cả đơn vị');
  const number = options.batch ?? 1;
  const { total, count, recipients } = await readTransaction(db, async (trx) => {
    // A letter's place in delivery order needs only its address: the rest of the personal data
    // is read for this batch's letters alone (50 of a wave's 10,000).
    const order = sortForDelivery(await listMailingOrder(trx, options.year, options));
    const count = Math.max(1, Math.ceil(order.length / PACK_BATCH_SIZE));
    if (number > count) throw new UserError(`Không có lô ${number}: chỉ có ${count} lô (${order.length} thư — ${unitLabel})`, 404);
    const inBatch = order.slice((number - 1) * PACK_BATCH_SIZE, number * PACK_BATCH_SIZE);
    const read = await listMailingRecipients(trx, options.year, { ...options, questionnaireIds: inBatch.map((r) => r.questionnaireId) });
    const byId = new Map(read.map((r) => [r.questionnaireId, r]));
    return { total: order.length, count, recipients: inBatch.map((r) => byId.get(r.questionnaireId)!) };
  });
  const letters: PackLetter[] = [];
  for (const r of recipients) {
    const url = qrUrl(options.baseUrl, r.token);
    letters.push({ ...r, qrUrl: url, qrSvg: await qrSvg(url), accessKey: formatAccessKey(accessKeyFor(r.token)) });
  }
  await writeTransaction(db, async (trx) => {
    await waveFor(trx, options.year, 'send-mailing');
    await recordAudit(trx, {
      actor: options.actor,
      action: 'mailing.print',
      waveYear: options.year,
      detail: { letters: letters.length, unit: options.unitCode ?? null, batch: number, batches: count },
    });
  });
  return { questionnaire, letters, unitLabel, batch: { number, count, total, size: PACK_BATCH_SIZE } };
}

/** The explicit "đánh dấu đã gửi" action: drawn → dispatched for the released questionnaires (of one unit). */
export async function markWaveDispatched(trx: Executor, options: { year: number; actor: string | null; unitCode?: string }): Promise<number> {
  await waveFor(trx, options.year, 'send-mailing');
  const recipients = await recipientsFor(trx, options.year, { unitCode: options.unitCode, notYetSent: true });
  const changed = await markDispatched(trx, options.year, recipients.map((r) => r.questionnaireId));
  await recordAudit(trx, { actor: options.actor, action: 'mailing.dispatched', waveYear: options.year, detail: { questionnaires: changed, unit: options.unitCode ?? null } });
  return changed;
}
