import { migrateToLatest } from '../db/connect';
import { writeTransaction } from '../db/unit-of-work';
import { createWave, importUnits } from '../services/waves/waves';
import { readInputFile, requireYear, type CliCommand } from './command';

export const migrateCommand: CliCommand = {
  usage: 'migrate',
  options: {},
  async run(ctx) {
    const applied = await migrateToLatest(ctx.db);
    return {
      text: applied.length > 0 ? `Đã áp dụng ${applied.length} bước nâng cấp: ${applied.join(', ')}` : 'Cơ sở dữ liệu đã ở phiên bản mới nhất',
      json: { applied },
    };
  },
};

export const waveCreateCommand: CliCommand = {
  usage: 'wave create --year 2024 [--name "…"] [--copy-from 2023]',
  options: { year: { type: 'string' }, name: { type: 'string' }, 'copy-from': { type: 'string' } },
  async run(ctx, values) {
    const year = requireYear(values, this.usage, 'year');
    const copyFrom = values['copy-from'] === undefined ? undefined : requireYear(values, this.usage, 'copy-from');
    const wave = await writeTransaction(ctx.db, (trx) => createWave(trx, { year, name: values.name as string | undefined, copyFrom, actor: ctx.actor }));
    const what = copyFrom === undefined ? 'với phiếu khảo sát mặc định' : `với phiếu khảo sát và đơn vị của đợt ${copyFrom}`;
    return { text: `Đã tạo đợt ${wave.year} "${wave.name}" ${what}`, json: wave };
  },
};

export const unitsImportCommand: CliCommand = {
  usage: 'units import --wave 2023 <units.csv>',
  options: { wave: { type: 'string' } },
  async run(ctx, values, positionals) {
    const year = requireYear(values, this.usage);
    const bytes = readInputFile(positionals[0], this.usage);
    const units = await writeTransaction(ctx.db, (trx) => importUnits(trx, year, bytes, ctx.actor));
    const counts = new Map<string, number>();
    for (const unit of units) counts.set(unit.kind, (counts.get(unit.kind) ?? 0) + 1);
    const byKind = [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
    return { text: `Đã nhập ${units.length} đơn vị cho đợt ${year} (${byKind})`, json: { wave: year, units } };
  },
};
