import { parseDatabaseUrl } from '../config';
import { migrateData } from '../services/installation/migrate-data';
import { requireOption, type CliCommand } from './command';

export const migrateDataCommand: CliCommand = {
  usage: 'migrate-data --from <tệp SQLite hoặc postgres://…> --to <postgres://… hoặc tệp SQLite>',
  options: { from: { type: 'string' }, to: { type: 'string' } },
  // Both databases are named on the command line: DATABASE_URL's is neither needed nor created.
  database: 'none',
  async run(_ctx, values) {
    const from = parseDatabaseUrl(requireOption(values, 'from', this.usage));
    const to = parseDatabaseUrl(requireOption(values, 'to', this.usage));
    const outcome = await migrateData(from, to);
    const lines = [
      ...outcome.tables.map((t) => `  ${t.name.padEnd(24)} ${String(t.source).padStart(9)} → ${String(t.target).padStart(9)}${t.source === t.target ? '' : '  KHÁC'}`),
      ...outcome.waves.map((w) => `  bảng đơn vị đợt ${w.year}: ${w.identical ? 'giống hệt' : 'KHÁC'}`),
      outcome.identical ? 'Giống hệt.' : 'KHÁC: bản sao không khớp với nguồn, đừng dùng nó.',
      'Phiên đăng nhập không được chép: mọi người đăng nhập lại trên cơ sở dữ liệu mới.',
    ];
    return { text: `Đã chép dữ liệu (số dòng nguồn → đích):\n${lines.join('\n')}`, json: outcome, exitCode: outcome.identical ? 0 : 1 };
  },
};
