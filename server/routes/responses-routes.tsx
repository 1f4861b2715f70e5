import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { errorFlash, type FlashMessage } from '../../survey-web/layout';
import { PAGES } from '../../survey-web/navigation';
import { ResponsesImportPage } from '../../survey-web/pages/responses-import-page';
import type { AppDeps, WaveEnv } from '../app-env';
import { writeTransaction } from '../db/unit-of-work';
import { UserError } from '../errors';
import { actorOf, requireRole } from '../middleware/auth';
import type { User } from '../repositories/users';
import type { Wave } from '../repositories/waves';
import { importResponses } from '../services/collection/responses-import';
import { refusal } from '../services/waves/wave-policy';
import { requireQuestionnaire } from '../services/waves/wave-questionnaire';

/** Responses collected elsewhere, uploaded as a CSV (SIPAS.md section 11): administrators only. */
export function responsesRoutes(deps: AppDeps) {
  const page = async (wave: Wave, user: User | null, message?: FlashMessage) => (
    <ResponsesImportPage
      wave={wave}
      questionnaire={await requireQuestionnaire(deps.db, wave.year)}
      refusal={refusal(wave, 'record-response')}
      user={user}
      message={message}
    />
  );

  return new Hono<WaveEnv>()
    .use('/import', requireRole(...PAGES.responsesImport.roles))
    .get('/import', async (c) => c.html(await page(c.var.wave, c.var.user)))
    .post(
      '/import',
      validator('form', (value) => ({ file: value.file instanceof File && value.file.size > 0 ? value.file : null })),
      async (c) => {
        const { wave, user } = c.var;
        const { file } = c.req.valid('form');
        try {
          if (!file) throw new UserError('Chưa chọn tệp phiếu trả lời');
          const bytes = new Uint8Array(await file.arrayBuffer());
          const summary = await writeTransaction(deps.db, (trx) => importResponses(trx, wave.year, bytes, actorOf(c)));
          const { counted, review, invalid } = summary.byState;
          const text = `Đã nhập ${summary.rows} phiếu trả lời: ${counted} được tính, ${review} chờ xem xét (trùng phiếu), ${invalid} không hợp lệ; ${summary.anonymous} phiếu không gắn mã; ${summary.repeated} dòng đã có sẵn, không ghi lại.`;
          return c.html(await page(wave, user, { kind: 'ok', text }));
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          return c.html(await page(wave, user, errorFlash(error)), error.status);
        }
      },
    );
}
