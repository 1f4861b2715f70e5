import fs from 'node:fs';
import path from 'node:path';
import { formatPercent } from '../../analysis/format';
import { KIND_LABELS } from '../../analysis/tables';
import { writeTransaction } from '../db/unit-of-work';
import { UserError } from '../errors';
import { buildExport, parseExportFormat, parseTableName } from '../services/results/analysis-exports';
import { importPreviousIndexes } from '../services/results/previous-import';
import { computeResultsSnapshot } from '../services/results/results-snapshot';
import { readInputFile, requireOption, requireYear, type CliCommand } from './command';

export const previousImportCommand: CliCommand = {
  usage: 'previous import --wave 2023 <published.csv>',
  options: { wave: { type: 'string' } },
  async run(ctx, values, positionals) {
    const year = requireYear(values, this.usage);
    const bytes = readInputFile(positionals[0], this.usage);
    const { rows, rawPreviousYear } = await writeTransaction(ctx.db, (trx) => importPreviousIndexes(trx, year, bytes, ctx.actor));
    const note =
      rawPreviousYear !== null
        ? `; lưu ý: hệ thống có phiếu gốc của đợt ${rawPreviousYear}, nên so sánh dùng phiếu gốc thay cho bảng này`
        : '';
    return {
      text: `Đã nhập chỉ số đã công bố năm ${year - 1} của ${rows.length} đơn vị cho đợt ${year}${note}`,
      json: { wave: year, previousYear: year - 1, rows: rows.length, usedForDeltas: rawPreviousYear === null },
    };
  },
};

export const reportCommand: CliCommand = {
  usage: 'report --wave 2023 --format csv|xlsx|json|html --out <file> [--table units|groups|criteria|tracking|profile]',
  options: { wave: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, table: { type: 'string' } },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    const format = parseExportFormat(requireOption(values, 'format', this.usage));
    const out = requireOption(values, 'out', this.usage);
    const table = typeof values.table === 'string' ? parseTableName(values.table.trim()) : undefined;
    if (table && format === 'html') throw new UserError('--table không dùng với --format html: báo cáo in được luôn gồm mọi bảng');
    // What the results page would show, read the same way: one snapshot of the wave.
    const { wave, results, boundaries } = await computeResultsSnapshot(ctx.db, year);
    const subtitle = `${wave.name} — lập ngày ${new Date().toLocaleDateString('vi-VN')}`;
    const file = await buildExport(results, { format, table, subtitle, boundaries: boundaries?.file.shapes });
    try {
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, file.body);
    } catch (error) {
      throw new UserError(`không ghi được tệp ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const averages = results.groups
      .filter((g) => g.average !== null)
      .map((g) => `${KIND_LABELS[g.kind].group} ${formatPercent(g.average!)}`)
      .join(', ');
    const counted = results.tracking.total.counted;
    return {
      text: `Đã ghi ${out} (${format}${table ? `, bảng ${table}` : ''}): ${results.units.length} đơn vị, ${counted} phiếu hợp lệ${averages ? `; bình quân ${averages}` : ''}`,
      json: {
        wave: year,
        format,
        table: table ?? null,
        out,
        bytes: Buffer.byteLength(file.body),
        units: results.units.length,
        counted,
        groups: results.groups.map((g) => ({ kind: g.kind, average: g.average, atOrAbove90: g.atOrAbove90, parPoints: g.parPoints })),
        warnings: results.warnings,
      },
    };
  },
};
