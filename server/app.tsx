import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { ErrorPage } from '../survey-web/pages/error-page';
import type { AppDeps, AppEnv } from './app-env';
import { UserError } from './errors';
import { loadUser } from './middleware/auth';
import { passwordChangeFirst } from './middleware/password-change';
import { limitBodies } from './middleware/body-limits';
import { crossSitePosts } from './middleware/cross-site';
import { securityHeaders } from './middleware/security-headers';
import { loadWave } from './middleware/wave';
import { analysisRoutes } from './routes/analysis-routes';
import { assetRoutes } from './routes/asset-routes';
import { authRoutes } from './routes/auth-routes';
import { homeRoutes } from './routes/home-routes';
import { mailingRoutes } from './routes/mailing-routes';
import { qrRoutes } from './routes/qr-routes';
import { responsesRoutes } from './routes/responses-routes';
import { drawRoutes } from './routes/draw-routes';
import { frameRoutes } from './routes/frame-routes';
import { waveRoutes } from './routes/wave-routes';
import { entryRoutes } from './routes/entry-routes';
import { trackingRoutes } from './routes/tracking-routes';
import { adminRoutes } from './routes/admin-routes';
import { accountRoutes } from './routes/account-routes';
import { waveAdminRoutes } from './routes/wave-admin-routes';

export function createApp(deps: AppDeps) {
  // RegExpRouter alone, not Hono's default SmartRouter: every request (citizens' QR submissions
  // included) gets the fastest matcher, and a route pattern it cannot hold fails at the first
  // request (and in tests) instead of silently switching the whole app to the trie router.
  const app = new Hono<AppEnv>({ router: new RegExpRouter() });
  app.use(securityHeaders());
  app.use(limitBodies());
  app.use(loadUser(deps));
  app.use(crossSitePosts(deps));
  app.use(passwordChangeFirst());
  app.use('/waves/:year', loadWave(deps));
  app.use('/waves/:year/*', loadWave(deps));

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/', assetRoutes());
  app.route('/', authRoutes(deps));
  app.route('/', homeRoutes(deps));
  app.route('/', qrRoutes(deps));
  app.route('/waves/:year', waveRoutes(deps));
  app.route('/waves/:year', waveAdminRoutes(deps));
  app.route('/waves/:year/frame', frameRoutes(deps));
  app.route('/waves/:year/draw', drawRoutes(deps));
  app.route('/waves/:year/analysis', analysisRoutes(deps));
  app.route('/waves/:year/entry', entryRoutes(deps));
  app.route('/waves/:year/tracking', trackingRoutes(deps));
  app.route('/waves/:year/mailing', mailingRoutes(deps));
  app.route('/waves/:year/responses', responsesRoutes(deps));
  // Last: tests that go through app.routes in order (fuzzing) reach the other forms before account actions can disable their sessions.
  app.route('/admin', adminRoutes(deps));
  app.route('/tai-khoan', accountRoutes(deps));

  app.notFound((c) => c.html(<ErrorPage status={404} message={`Không có trang ${c.req.path}`} user={c.var.user} />, 404));
  app.onError((error, c) => {
    const wantsJson = c.req.header('accept')?.includes('application/json') ?? false;
    if (error instanceof UserError) {
      if (wantsJson) return c.json({ error: error.message, details: error.details }, error.status);
      return c.html(<ErrorPage status={error.status} message={error.message} details={error.details} user={c.var.user} />, error.status);
    }
    // Hono's own refusals (a form body that cannot be read) are the sender's fault, not a bug.
    if (error instanceof HTTPException && error.status < 500) {
      return c.html(<ErrorPage status={400} message="Không đọc được dữ liệu biểu mẫu gửi lên: hãy tải lại trang rồi gửi lại." user={c.var.user} />, 400);
    }
    // Log the kind and place of the failure, never request bodies: they may hold personal data.
    console.error(`Lỗi ${c.req.method} ${c.req.path}:`, error);
    return c.html(<ErrorPage status={500} message="Lỗi máy chủ, thông tin đã được ghi lại." user={c.var.user} />, 500);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
