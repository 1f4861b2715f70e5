import { writeTransaction } from '../db/unit-of-work';
import { importResponses } from '../services/collection/responses-import';
import { readInputFile, requireYear, type CliCommand } from './command';

export const responsesImportCommand: CliCommand = {
  usage: 'responses import --wave 2023 <responses.csv>',
  options: { wave: { type: 'string' } },
  async run(ctx, values, positionals) {
    const year = requireYear(values, this.usage);
    const bytes = readInputFile(positionals[0], this.usage);
    const summary = await writeTransaction(ctx.db, (trx) => importResponses(trx, year, bytes, ctx.actor));
    const { counted, review, invalid } = summary.byState;
    return {
      text: `Đã nhập ${summary.rows} phiếu trả lời cho đợt ${year}: ${counted} được tính, ${review} chờ xem xét (trùng phiếu), ${invalid} không hợp lệ (quá ít câu trả lời); ${summary.anonymous} phiếu không gắn mã; ${summary.repeated} dòng đã có sẵn, không ghi lại`,
      json: { wave: year, ...summary },
    };
  },
};
