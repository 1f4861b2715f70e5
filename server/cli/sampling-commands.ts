import fs from 'node:fs';
import type { ImportReport } from '../../sampling';
import type { Db } from '../db/connect';
import { writeTransaction } from '../db/unit-of-work';
import { UserError } from '../errors';
import { findWave, type Wave } from '../repositories/waves';
import { allocationFrom, describeAllocation, parseReservePercent } from '../services/draw/allocation-input';
import { commitDraw } from '../services/draw/commitment';
import { drawTotals, runDraw } from '../services/draw/draw';
import { exportDrawRecordCsv } from '../services/draw/draw-record';
import { describeSeedRule } from '../services/draw/seed-rule';
import { exportDrawCsv } from '../services/draw/draw-export';
import { publishDraw } from '../services/draw/draw-publish';
import { verifyDraw } from '../services/draw/draw-verify';
import { localFrameFile } from '../services/draw/sampling-threads';
import { importFrame, localUpload } from '../services/draw/frame-import';
import { rejectionLines } from '../services/draw/frame-report';
import { waveNotFound } from '../services/waves/wave-policy';
import { requireOption, requireYear, type CliCommand } from './command';

const LISTED_REJECTIONS = 20;

/** Checks the file can be read, then gives a way to open it (the readers may read it twice). */
/** The frame file named on the command line, checked to be a readable file. */
function inputFile(file: string | undefined, usage: string): string {
  if (!file) throw new UserError(`thiếu tệp khung mẫu. Cách dùng: ${usage}`);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new UserError(`không đọc được tệp ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!stat.isFile()) throw new UserError(`${file} không phải là một tệp`);
  return file;
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
    const outcome = await importFrame({ db: ctx.db, dataDir: ctx.config.dataDir }, year, localUpload(inputFile(file, this.usage), strict), ctx.actor);
    if (!outcome.ok) throw outcome.error;
    const { frameImport } = outcome;
    const text = [
      `Đã nhập khung mẫu cho đợt ${year} từ ${frameImport.fileName}${strict ? ' (chế độ nghiêm ngặt)' : ''}; SHA-256 ${frameImport.fileSha256}`,
      ...formatImportReport(frameImport.report),
    ].join('\n');
    return { text, json: { wave: year, frameImportId: frameImport.id, fileSha256: frameImport.fileSha256, report: frameImport.report } };
  },
};

type Values = Record<string, string | boolean | undefined>;
const ALLOCATION_OPTIONS = ['per-unit', 'total', 'margin'] as const;
const str = (values: Values, k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);

/** The allocation options given, or undefined when none is (a commitment then supplies them). */
function allocationOptions(values: Values, usage: string, required: boolean) {
  const given = ALLOCATION_OPTIONS.filter((k) => typeof values[k] === 'string');
  if (given.length === 0 && !required) return undefined;
  if (given.length !== 1) throw new UserError(`cần đúng một trong --per-unit, --total, --margin. Cách dùng: ${usage}`);
  const kind = { 'per-unit': 'fixed', total: 'proportional', margin: 'margin' }[given[0]];
  return allocationFrom({ kind, perUnit: str(values, 'per-unit'), total: str(values, 'total'), min: str(values, 'min'), max: str(values, 'max'), margin: str(values, 'margin') });
}

function writeOut(out: string, content: string): void {
  try {
    fs.writeFileSync(out, content);
  } catch (error) {
    throw new UserError(`không ghi được tệp ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** How a draw's sample is allocated to units, and its reserve: the same flags for `draw commit` and `draw`. */
const ALLOCATION_FLAGS = {
  'per-unit': { type: 'string' },
  total: { type: 'string' },
  min: { type: 'string' },
  max: { type: 'string' },
  margin: { type: 'string' },
  reserve: { type: 'string' },
} as const;

export const drawCommitCommand: CliCommand = {
  usage:
    'draw commit --wave 2023 --seed-rule "Xổ số kiến thiết An Giang, giải đặc biệt" --seed-date yyyy-mm-dd [--seed-digits 6] (--per-unit N | --total N [--min N --max N] | --margin 0.05 [--max N]) [--reserve 20]',
  options: {
    wave: { type: 'string' },
    'seed-rule': { type: 'string' },
    'seed-date': { type: 'string' },
    'seed-digits': { type: 'string' },
    ...ALLOCATION_FLAGS,
  },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    const digitsText = str(values, 'seed-digits') ?? '6';
    const request = {
      seedSource: requireOption(values, 'seed-rule', this.usage),
      seedDate: requireOption(values, 'seed-date', this.usage),
      seedDigits: /^\d+$/.test(digitsText) ? Number(digitsText) : NaN,
      allocation: allocationOptions(values, this.usage, true)!,
      reservePercent: parseReservePercent(str(values, 'reserve')),
    };
    const commitment = await writeTransaction(ctx.db, (trx) => commitDraw(trx, year, request, ctx.actor));
    const text = [
      `Đã lập biên bản cam kết số ${commitment.id} cho đợt ${year}: khung mẫu SHA-256 ${commitment.frameSha256}`,
      `Phân bổ: ${describeAllocation(commitment.allocation)}; dự phòng ${String(commitment.reservePercent).replace('.', ',')} %`,
      `Quy tắc: ${describeSeedRule(commitment.seedRule)}`,
      `In biên bản để ký: /waves/${year}/draw/commitments/${commitment.id}`,
      `Sau ngày quay, bốc mẫu bằng: npm run sipas -- draw --wave ${year} --seed <số kết quả>`,
    ].join('\n');
    return { text, json: commitment };
  },
};

export const drawRecordCommand: CliCommand = {
  usage: 'draw record --wave 2023 --out draw-record.csv',
  options: { wave: { type: 'string' }, out: { type: 'string' } },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    const out = requireOption(values, 'out', this.usage);
    await existingWave(ctx.db, year);
    const { csv, rows } = await exportDrawRecordCsv(ctx.db, year);
    writeOut(out, csv);
    return { text: `Đã ghi ${rows} dòng biên bản (các cam kết và mọi lần bốc, kể cả bản nháp đã bị thay) vào ${out}`, json: { wave: year, rows, out } };
  },
};

export const drawCommand: CliCommand = {
  usage:
    'draw --wave 2023 --seed <text> (--per-unit N | --total N [--min N --max N] | --margin 0.05 [--max N]) [--reserve 20] [--redraw --reason "…"]; after `draw commit`: draw --wave 2023 --seed <số kết quả>',
  options: {
    wave: { type: 'string' },
    seed: { type: 'string' },
    ...ALLOCATION_FLAGS,
    redraw: { type: 'boolean' },
    reason: { type: 'string' },
  },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    const seed = requireOption(values, 'seed', this.usage);
    // Without options the allocation comes from the commitment; runDraw refuses when there is none.
    const allocation = allocationOptions(values, this.usage, false);
    const reserve = str(values, 'reserve');
    if (values.redraw !== true && str(values, 'reason')) throw new UserError('--reason chỉ dùng cùng --redraw');
    const draw = await runDraw(
      ctx.db,
      year,
      {
        seed,
        allocation,
        reservePercent: reserve === undefined && allocation === undefined ? undefined : parseReservePercent(reserve),
        redraw: values.redraw === true,
        reason: str(values, 'reason') ?? '',
      },
      ctx.actor,
      { dataDir: ctx.config.dataDir },
    );
    const totals = drawTotals(draw);
    const short = draw.units.filter((u) => u.shortfall > 0);
    const text = [
      `Đã bốc mẫu (bản nháp số ${draw.id}) cho đợt ${year}: ${totals.drawn} người chính thức, ${totals.reserve} dự phòng, từ ${formatCount(totals.eligible)} người đủ điều kiện ở ${draw.units.length} đơn vị`,
      `Phân bổ: ${describeAllocation(draw.allocation)}; dự phòng ${String(draw.reservePercent).replace('.', ',')} %; hạt giống "${draw.seed}"; khung mẫu SHA-256 ${draw.frameSha256}`,
      draw.commitmentId !== null ? `Theo biên bản cam kết số ${draw.commitmentId}` : 'Không có biên bản cam kết trước: hạt giống do người bốc chọn',
      short.length > 0
        ? `Đơn vị thiếu người (lấy hết): ${short.map((u) => `${u.unitCode} ${u.drawn}/${u.planned}`).join(', ')}`
        : 'Không đơn vị nào thiếu người',
      draw.commitmentId !== null
        ? `Kiểm tra danh sách rồi công bố bằng: npm run sipas -- draw publish --wave ${year}`
        : `Đây là lần bốc thử, không công bố được; mẫu chính thức: npm run sipas -- draw commit --wave ${year} … rồi sau ngày quay: draw --wave ${year} --seed <số kết quả>`,
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
    writeOut(out, csv);
    const note = draw.status === 'published' ? '' : ' (mẫu chưa công bố: cột mã phiếu để trống)';
    return { text: `Đã ghi ${lines} dòng của mẫu số ${draw.id} vào ${out}${note}`, json: { wave: year, drawId: draw.id, status: draw.status, lines, out } };
  },
};

function commitmentLines(commitment: { id: number; problems: string[] } | null): string[] {
  if (commitment === null) return ['Không có biên bản cam kết trước: hạt giống do người bốc chọn, không kiểm tra được là không bị chọn lựa'];
  if (commitment.problems.length === 0) return [`Đúng biên bản cam kết số ${commitment.id}: cam kết trước ngày quay, bốc sau ngày quay, hạt giống theo quy tắc, cùng khung mẫu và phân bổ`];
  return [`Không đúng biên bản cam kết số ${commitment.id}:`, ...commitment.problems.map((p) => `  ${p}`)];
}

export const drawVerifyCommand: CliCommand = {
  usage: 'draw verify --wave 2023 <frame.csv>',
  options: { wave: { type: 'string' } },
  async run(ctx, values, positionals) {
    const year = requireYear(values, this.usage);
    // A file on this machine: read by byte range, in two parts at once when large.
    const frame = localFrameFile(inputFile(positionals[0], this.usage));
    const outcome = await verifyDraw({ db: ctx.db, dataDir: ctx.config.dataDir }, await existingWave(ctx.db, year), frame, ctx.actor);
    const text = [
      outcome.identical
        ? `Giống hệt (identical): chạy lại lần bốc số ${outcome.drawId} (phương pháp ${outcome.codeVersion}) từ tệp này cho đúng danh sách đã bốc`
        : `Khác với mẫu đã bốc (lần bốc số ${outcome.drawId}): ${outcome.difference}`,
      outcome.fileNote ?? `Tệp đúng là tệp đã bốc (SHA-256 ${outcome.actualSha256})`,
      ...commitmentLines(outcome.commitment),
      outcome.verified ? 'Kết luận: ĐẠT' : 'Kết luận: KHÔNG ĐẠT (xem các dòng trên)',
    ].join('\n');
    return { text, json: outcome, exitCode: outcome.verified ? 0 : 1 };
  },
};
