import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { criterionCodes } from '../../analysis/questionnaire';
import { ResponsesImportPage } from '../../survey-web/pages/responses-import-page';
import type { AppEnv } from '../app-env';
import { UserError } from '../errors';
import { requireRole } from '../middleware/auth';
import { findQuestionnaire } from '../repositories/questionnaire-versions';
import type { Wave } from '../repositories/waves';
import { importResponses } from '../services/responses-import';
import { requireWave } from '../services/waves';
import { parseYear } from './wave-routes';

export const responsesImportRoutes = new Hono<AppEnv>()
  .use('/:year/responses/import', requireRole('admin'))
  .get('/:year/responses/import', async (c) => {
    const wave = await requireWave(c.var.deps.db, parseYear(c.req.param('year')));
    return c.html(await page(c.var.deps.db, wave, c.var.user));
  })
  .post(
    '/:year/responses/import',
    validator('form', (value) => ({ file: value.file instanceof File && value.file.size > 0 ? value.file : null })),
    async (c) => {
      const { db } = c.var.deps;
      const wave = await requireWave(db, parseYear(c.req.param('year')));
      const { file } = c.req.valid('form');
      try {
        if (!file) throw new UserError('Chưa chọn tệp phiếu trả lời');
        const summary = await importResponses(db, wave.year, new Uint8Array(await file.arrayBuffer()), c.var.user?.username ?? null);
        const { counted, review, invalid } = summary.byState;
        const text = `Đã nhập ${summary.rows} phiếu trả lời: ${counted} được tính, ${review} chờ xem xét (trùng phiếu), ${invalid} không hợp lệ; ${summary.anonymous} phiếu không gắn mã.`;
        return c.html(await page(db, wave, c.var.user, { kind: 'ok', text }));
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return c.html(await page(db, wave, c.var.user, { kind: 'error', text: error.message, details: error.details }), error.status);
      }
    },
  );

async function page(db: AppEnv['Variables']['deps']['db'], wave: Wave, user: AppEnv['Variables']['user'], message?: { kind: 'ok' | 'error'; text: string; details?: string[] }) {
  const questionnaire = await findQuestionnaire(db, wave.year);
  return (
    <ResponsesImportPage
      wave={wave}
      criteria={questionnaire ? criterionCodes(questionnaire) : []}
      profile={questionnaire?.profile.map((p) => p.code) ?? []}
      user={user}
      message={message}
    />
  );
}
