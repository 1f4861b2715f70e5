import fs from 'node:fs';
import path from 'node:path';
import type { ImportReport } from '../../sampling';
import type { Db } from '../db/connect';
import { writeTransaction } from '../db/unit-of-work';
import { UserError } from '../errors';
import { findWave, type Wave } from '../repositories/waves';
import { allocationFrom, describeAllocation, parseReservePercent } from '../services/draw/allocation-input';
import { drawTotals, runDraw } from '../services/draw/draw';
import { exportDrawCsv } from '../services/draw/draw-export';
import { publishDraw } from '../services/draw/draw-publish';
import { verifyDraw } from '../services/draw/draw-verify';
import { importFrame } from '../services/draw/frame-import';
import { rejectionLines } from '../services/draw/frame-report';
import { waveNotFound } from '../services/waves/wave-policy';
import { requireOption, requireYear, type CliCommand } from './command';

const LISTED_REJECTIONS = 20;

/** Checks the file can be read, then gives a way to open it (the readers may read it twice). */
function openInput(file: string | undefined, usage: string): () => fs.ReadStream {
  if (!file) throw new UserError(`thiếu tệp khung mẫu. Cách dùng: ${usage}`);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new UserError(`không đọc được tệp ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!stat.isFile()) throw new UserError(`${file} không phải là một tệp`);
  return () => fs.createReadStream(file);
}

const formatCount = (n: number) => n.toLocaleString('vi-VN');

/** For the commands that only read: the writing ones check the wave inside their transaction. */
async function existingWave(db: Db, year: number): Promise<Wave> {
  const wave = await findWave(db, year);
  if (!wave) throw waveNotFound(year);
  return wave;
}

/** The import report as an administrator reads it in a terminal. */
export function formatImportReport(report: ImportReport): string[] {
  const lines = [`Số dòng đọc: ${formatCount(report.rowsRead)}; hợp lệ: ${formatCount(report.rowsAccepted)}; bị từ chối: ${formatCount(report.rowsRejected)}`];
  const reasons = Object.entries(report.rejectionCounts);
  if (reasons.length > 0) lines.push(`Bị từ chối theo lý do: ${reasons.map(([reason, n]) => `${reason}: ${formatCount(n)}`).join('; ')}`);
  if (report.rejections.length > 0) {
    lines.push(`Các dòng bị từ chối (${Math.min(LISTED_REJECTIONS, report.rejections.length)} dòng đầu):`);
    lines.push(...rejectionLines(report).slice(0, LISTED_REJECTIONS).map((l) => `  ${l}`));
  }
  lines.push(
    `Không đủ điều kiện bốc mẫu: ngoài kỳ khảo sát ${report.ineligible.outsidePeriod}, thiếu địa chỉ gửi thư ${report.ineligible.noAddress}, tổ chức (bị loại) ${report.ineligible.organisation}; hồ sơ của cùng một người được gộp: ${report.personsMerged}`,
  );
  lines.push(`Số người đủ điều kiện theo đơn vị: ${Object.entries(report.eligibleByUnit).map(([unit, n]) => `${unit} ${n}`).join(', ')}`);
  lines.push(
    `Đơn vị trong tệp nhưng không thuộc đợt: ${report.unknownUnits.length === 0 ? 'không có' : report.unknownUnits.map((u) => `${u.value} (${u.rows} dòng)`).join(', ')}`,
  );
  lines.push(`Đơn vị của đợt không có dòng nào: ${report.unitsWithoutRows.length === 0 ? 'không có' : report.unitsWithoutRows.join(', ')}`);
  return lines;
}

export const frameImportCommand: CliCommand = {
  usage: 'frame import --wave 2023 <frame.csv> [--strict]',
  options: { wave: { type: 'string' }, strict: { type: 'boolean' } },
  async run(ctx, values, positionals) {
    const year = requireYear(values, this.usage);
    const strict = values.strict === true;
    const file = positionals[0];
    const outcome = await importFrame({ db: ctx.db, dataDir: ctx.config.dataDir }, year, { fileName: path.basename(file ?? ''), bytes: openInput(file, this.usage)(), strict }, ctx.actor);
    if (!outcome.ok) throw outcome.error;
    const { frameImport } = outcome;
    const text = [
      `Đã nhập khung mẫu cho đợt ${year} từ ${frameImport.fileName}${strict ? ' (chế độ nghiêm ngặt)' : ''}; SHA-256 ${frameImport.fileSha256}`,
      ...formatImportReport(frameImport.report),
    ].join('\n');
    return { text, json: { wave: year, frameImportId: frameImport.id, fileSha256: frameImport.fileSha256, report: frameImport.report } };
  },
};

export const drawCommand: CliCommand = {
  usage: 'draw --wave 2023 --seed <text> (--per-unit N | --total N [--min N --max N] | --margin 0.05 [--max N]) [--reserve 20] [--redraw --reason "…"]',
  options: {
    wave: { type: 'string' },
    seed: { type: 'string' },
    'per-unit': { type: 'string' },
    total: { type: 'string' },
    min: { type: 'string' },
    max: { type: 'string' },
    margin: { type: 'string' },
    reserve: { type: 'string' },
    redraw: { type: 'boolean' },
    reason: { type: 'string' },
  },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    const seed = requireOption(values, 'seed', this.usage);
    const given = (['per-unit', 'total', 'margin'] as const).filter((k) => typeof values[k] === 'string');
    if (given.length !== 1) throw new UserError(`cần đúng một trong --per-unit, --total, --margin. Cách dùng: ${this.usage}`);
    const kind = { 'per-unit': 'fixed', total: 'proportional', margin: 'margin' }[given[0]];
    const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
    const allocation = allocationFrom({ kind, perUnit: str('per-unit'), total: str('total'), min: str('min'), max: str('max'), margin: str('margin') });
    if (values.redraw !== true && str('reason')) throw new UserError('--reason chỉ dùng cùng --redraw');
    const draw = await runDraw(
      ctx.db,
      year,
      { seed, allocation, reservePercent: parseReservePercent(str('reserve')), redraw: values.redraw === true, reason: str('reason') ?? '' },
      ctx.actor,
    );
    const totals = drawTotals(draw);
    const short = draw.units.filter((u) => u.shortfall > 0);
    const text = [
      `Đã bốc mẫu (bản nháp số ${draw.id}) cho đợt ${year}: ${totals.drawn} người chính thức, ${totals.reserve} dự phòng, từ ${formatCount(totals.eligible)} người đủ điều kiện ở ${draw.units.length} đơn vị`,
      `Phân bổ: ${describeAllocation(draw.allocation)}; dự phòng ${String(draw.reservePercent).replace('.', ',')} %; hạt giống "${draw.seed}"; khung mẫu SHA-256 ${draw.frameSha256}`,
      short.length > 0
        ? `Đơn vị thiếu người (lấy hết): ${short.map((u) => `${u.unitCode} ${u.drawn}/${u.planned}`).join(', ')}`
        : 'Không đơn vị nào thiếu người',
      `Kiểm tra danh sách rồi công bố bằng: npm run sipas -- draw publish --wave ${year}`,
    ].join('\n');
    return { text, json: draw };
  },
};

export const drawPublishCommand: CliCommand = {
  usage: 'draw publish --wave 2023',
  options: { wave: { type: 'string' } },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    const { draw, questionnaires, frameFileDeleted } = await writeTransaction(ctx.db, (trx, afterCommit) => publishDraw(trx, afterCommit, year, {}, ctx.actor));
    const text = [
      `Đã công bố mẫu số ${draw.id} của đợt ${year}: cấp ${questionnaires} mã phiếu và mã QR`,
      frameFileDeleted ? 'Đã xóa tệp khung mẫu; chỉ giữ thông tin liên hệ của người được bốc' : 'Tệp khung mẫu đã không còn trên đĩa',
    ].join('\n');
    return { text, json: { wave: year, drawId: draw.id, publishedAt: draw.publishedAt, questionnaires, frameFileDeleted } };
  },
};

export const drawExportCommand: CliCommand = {
  usage: 'draw export --wave 2023 --out sample.csv',
  options: { wave: { type: 'string' }, out: { type: 'string' } },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    const out = requireOption(values, 'out', this.usage);
    await existingWave(ctx.db, year);
    const { csv, draw, lines } = await exportDrawCsv(ctx.db, year);
    try {
      fs.writeFileSync(out, csv);
    } catch (error) {
      throw new UserError(`không ghi được tệp ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const note = draw.status === 'published' ? '' : ' (mẫu chưa công bố: cột mã phiếu để trống)';
    return { text: `Đã ghi ${lines} dòng của mẫu số ${draw.id} vào ${out}${note}`, json: { wave: year, drawId: draw.id, status: draw.status, lines, out } };
  },
};

export const drawVerifyCommand: CliCommand = {
  usage: 'draw verify --wave 2023 <frame.csv>',
  options: { wave: { type: 'string' } },
  async run(ctx, values, positionals) {
    const year = requireYear(values, this.usage);
    const open = openInput(positionals[0], this.usage);
    const outcome = await verifyDraw(ctx.db, await existingWave(ctx.db, year), open, ctx.actor);
    const text = [
      outcome.identical
        ? `Giống hệt (identical): chạy lại lần bốc số ${outcome.drawId} từ tệp này cho đúng danh sách đã bốc`
        : `Khác với mẫu đã bốc (lần bốc số ${outcome.drawId}): ${outcome.difference}`,
      outcome.fileNote ?? `Tệp đúng là tệp đã bốc (SHA-256 ${outcome.actualSha256})`,
    ].join('\n');
    return { text, json: outcome, exitCode: outcome.identical ? 0 : 1 };
  },
};
