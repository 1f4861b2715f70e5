import path from 'node:path';
import { writeTransaction } from '../db/unit-of-work';
import { importBoundaries } from '../services/results/boundaries-import';
import { readInputFile, requireYear, type CliCommand } from './command';

const named = (units: { code: string; name: string }[]) => units.map((u) => `${u.name} (${u.code})`).join(', ');

export const boundariesImportCommand: CliCommand = {
  usage: 'boundaries import --wave 2025 <communes.geojson>',
  options: { wave: { type: 'string' } },
  async run(ctx, values, positionals) {
    const year = requireYear(values, this.usage);
    const bytes = readInputFile(positionals[0], this.usage);
    const report = await writeTransaction(ctx.db, (trx) => importBoundaries(trx, year, { bytes, fileName: path.basename(positionals[0]!) }, ctx.actor));
    const lines = [`Đã nhập ranh giới cho đợt ${year}: ${report.shapesRead} vùng`];
    if (report.problems.length > 0) lines.push(`Vùng bị bỏ qua (${report.problems.length}): ${report.problems.join('; ')}`);
    if (report.shapesWithoutUnit.length > 0) lines.push(`Vùng không khớp đơn vị nào của đợt (${report.shapesWithoutUnit.length}): ${named(report.shapesWithoutUnit)}`);
    if (report.unitsWithoutShape.length > 0) lines.push(`Đơn vị chưa có ranh giới (${report.unitsWithoutShape.length}): ${named(report.unitsWithoutShape)}`);
    return {
      text: lines.join('\n'),
      json: {
        wave: year,
        file: report.fileName,
        shapes: report.shapesRead,
        problems: report.problems,
        shapesWithoutUnit: report.shapesWithoutUnit,
        unitsWithoutShape: report.unitsWithoutShape,
      },
    };
  },
};
