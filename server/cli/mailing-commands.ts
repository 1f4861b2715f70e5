import fs from 'node:fs';
import { writeTransaction } from '../db/unit-of-work';
import { UserError } from '../errors';
import { exportManifest } from '../services/collection/mailing';
import { requireOption, requireYear, type CliCommand } from './command';

export const mailingExportCommand: CliCommand = {
  usage: 'mailing export --wave 2023 --out manifest.csv [--base-url https://…] [--unit SNV] [--only-new] [--mark-dispatched]',
  options: {
    wave: { type: 'string' },
    out: { type: 'string' },
    'base-url': { type: 'string' },
    unit: { type: 'string' },
    'only-new': { type: 'boolean' },
    'mark-dispatched': { type: 'boolean' },
  },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    const out = requireOption(values, 'out', this.usage);
    const baseUrl = typeof values['base-url'] === 'string' ? values['base-url'].trim().replace(/\/+$/, '') : ctx.config.publicBaseUrl;
    if (!/^https?:\/\/[^/]/.test(baseUrl)) throw new UserError(`--base-url "${baseUrl}" phải bắt đầu bằng http:// hoặc https://`);
    const manifest = await writeTransaction(ctx.db, (trx) =>
      exportManifest(trx, {
        year,
        baseUrl,
        actor: ctx.actor,
        unitCode: typeof values.unit === 'string' ? values.unit.trim() : undefined,
        notYetSent: values['only-new'] === true,
        markAsDispatched: values['mark-dispatched'] === true,
      }),
    );
    try {
      // Personal data: readable by the owner only.
      fs.writeFileSync(out, manifest.csv, { mode: 0o600 });
    } catch (error) {
      throw new UserError(`không ghi được tệp ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const marked = values['mark-dispatched'] ? `; đã đánh dấu ${manifest.dispatched} phiếu là đã gửi` : '';
    return {
      text: `Đã ghi ${manifest.rows} dòng danh sách gửi của đợt ${year} vào ${out} (theo thứ tự phát thư)${marked}`,
      json: { wave: year, out, rows: manifest.rows, dispatched: manifest.dispatched, baseUrl },
    };
  },
};
