import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { validator } from 'hono/validator';
import { byField } from '../../survey-web/field-errors';
import { errorFlash } from '../../survey-web/layout';
import { PasswordPage } from '../../survey-web/pages/password-page';
import type { AppDeps, AppEnv } from '../app-env';
import { UserError } from '../errors';
import type { PostedForm } from '../forms/form-fields';
import { requireRole, SESSION_COOKIE, signedInUser } from '../middleware/auth';
import { ROLES } from '../repositories/users';
import { changeOwnPassword, MIN_PASSWORD_LENGTH } from '../services/accounts/accounts';
import { landingPath } from '../services/accounts/landing';

/** The signed-in person's own account, at /tai-khoan: for now, changing one's password. */
export function accountRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/mat-khau', requireRole(...ROLES), (c) =>
      c.html(<PasswordPage user={c.var.user} forced={signedInUser(c).mustChangePassword} minLength={MIN_PASSWORD_LENGTH} />),
    )
    .post(
      '/mat-khau',
      requireRole(...ROLES),
      // Passwords are taken as typed (no NFC, no trimming): what is typed at sign-in must match byte for byte.
      validator('form', (form: PostedForm) => {
        const raw = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
        return { current: raw('current'), password: raw('password'), repeat: raw('repeat') };
      }),
      async (c) => {
        const user = signedInUser(c);
        const { current, password, repeat } = c.req.valid('form');
        const page = { user: c.var.user, forced: user.mustChangePassword, minLength: MIN_PASSWORD_LENGTH };
        try {
          const outcome = await changeOwnPassword(deps.db, deps.signInLimits, { user, sessionId: getCookie(c, SESSION_COOKIE) ?? '', current, password, repeat });
          if (outcome.kind === 'too-many') {
            return c.html(<PasswordPage {...page} message={{ kind: 'error', text: 'Đã nhập sai mật khẩu quá nhiều lần. Xin thử lại sau 15 phút.' }} />, 429);
          }
          // After a one-time password the person goes on to their work (their role's landing page); otherwise they stay to read the confirmation.
          if (user.mustChangePassword) return c.redirect(await landingPath(deps.db, user.role), 303);
          return c.html(<PasswordPage {...page} message={{ kind: 'ok', text: 'Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.' }} />);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          return c.html(<PasswordPage {...page} message={errorFlash(error)} errors={byField(error.fields)} />, error.status);
        }
      },
    );
}
