import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../server/repositories/users';
import { launchBrowser } from './support/browser';
import { MISKEYED, PAPER_FORMS, QR_ANSWERS, QR_SECOND_TRY, REFUSED, UNDELIVERABLE_UNDONE } from './support/journey/answers';
import { ARTIFACTS, download, expectHeading, expectStatus, phone, prepareArtifacts, shot, signIn } from './support/journey/people';
import { decodeQrPng } from './support/journey/qr-decode';
import { CRITERIA, isValid, unitIndex, vietnamesePercent, type AnswerDigits } from './support/journey/sipas-index';
import { startLiveServer } from './support/live-server';
import { freePort } from './support/server-process';
import { createTestDeps } from './support/test-deps';

/**
 * The whole wave through the pages, in Chromium, from an empty database: what a Department of
 * Home Affairs does in a year. The only step outside the pages is the installation's first
 * administrator (README: `npm run sipas -- user add --role admin`). Screenshots of every step
 * go to test-artifacts/journey/.
 */

const YEAR = 2023;
const DEMO = path.resolve(import.meta.dirname, '../server/demo');
const STEP_TIMEOUT = 240_000;
const LOTTERY = 'Xổ số kiến thiết An Giang, giải đặc biệt';
const LOTTERY_NUMBER = '472915';
const MIN_RESPONDENTS = 6;

/** The calendar day after today in Vietnam, where the lottery is drawn (yyyy-mm-dd). */
function tomorrowInVietnam(): string {
  return new Date(Date.now() + 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' });
}

/** One letter of a printed pack as a person reads it: the code in large type, the name, the QR code. */
interface Letter {
  code: string;
  name: string;
}

describe('the journey of a wave through the pages', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let server: Awaited<ReturnType<typeof startLiveServer>>;
  let browser: Browser;
  let admin: Page;
  const packs: Record<string, Letter[]> = {};
  /** Passwords people chose after their first sign-in, by username. */
  const passwords: Record<string, string> = {};
  /** Answers that count, per unit, as the test expects them to be recorded. */
  const counted: Record<string, AnswerDigits[]> = { SNV: [], STP: [] };

  const url = (p: string) => `${server.url}${p}`;
  /** Follows a link of the wave's navigation, as a person moves between the wave's pages. */
  const openWavePage = async (page: Page, label: string) => {
    await page.getByRole('navigation', { name: `Các trang của đợt ${YEAR}` }).getByRole('link', { name: label, exact: true }).click();
    await page.waitForLoadState();
  };
  const letter = (unit: string, place: number) => packs[unit][place - 1];

  beforeAll(async () => {
    prepareArtifacts();
    // The printed QR codes must open this very server: PUBLIC_BASE_URL is its own address.
    const port = await freePort();
    deps = await createTestDeps();
    deps.config = { ...deps.config, publicBaseUrl: `http://127.0.0.1:${port}` };
    server = await startLiveServer(deps, { port });
    browser = await launchBrowser();
    // Installation (README): the first administrator is made on the command line.
    await insertUser(deps.db, { username: 'quantri', role: 'admin', password: 'mat-khau-quan-tri-2023' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await deps?.cleanup();
  });

  it(
    'step 1: the administrator sets the wave up, imports units and frame, commits, draws after the lottery, publishes and prints a pack whose QR opens the form',
    async () => {
      // The administrator lands on the administration page.
      admin = await signIn(browser, server.url, 'quantri', 'mat-khau-quan-tri-2023');
      await admin.waitForURL(url('/admin'));
      await shot(admin, '01-admin-signed-in');

      // A new wave.
      await admin.getByRole('link', { name: 'Tạo đợt khảo sát' }).click();
      await admin.getByLabel('Năm khảo sát').fill(String(YEAR));
      await admin.getByLabel(/^Tên đợt/).fill('Khảo sát SIPAS năm 2023');
      await admin.getByRole('button', { name: 'Tạo đợt', exact: true }).click();
      await admin.waitForURL(url(`/waves/${YEAR}`));
      await shot(admin, '02-wave-created');

      // Its rules: the frame's dates are in 2023, and a unit is ranked from six valid forms.
      await openWavePage(admin, 'Quy tắc của đợt');
      await admin.getByLabel('Kỳ hồ sơ: ngày trả kết quả từ').fill('2023-01-01');
      await admin.getByLabel('đến', { exact: true }).fill('2023-12-31');
      await admin.getByLabel('Số phiếu hợp lệ tối thiểu để xếp hạng một đơn vị').fill(String(MIN_RESPONDENTS));
      await admin.getByRole('button', { name: 'Lưu quy tắc' }).click();
      await expectStatus(admin, 'Đã lưu quy tắc của đợt');

      // Units, through the wave page's upload form.
      await openWavePage(admin, `Đợt ${YEAR}`);
      await admin.getByLabel(/Tệp CSV: unit_code/).setInputFiles(path.join(DEMO, 'units-2023.csv'));
      await admin.getByRole('button', { name: 'Nhập', exact: true }).click();
      await expectStatus(admin, 'Đã nhập 28 đơn vị');
      await shot(admin, '03-units-imported');

      // The one-stop system's messy export, and its import report.
      await openWavePage(admin, 'Khung mẫu');
      await admin.getByLabel('Tệp khung mẫu (.csv)').setInputFiles(path.join(DEMO, 'frame-2023-sample.csv'));
      await admin.getByRole('button', { name: 'Nhập khung mẫu' }).click();
      await expectStatus(admin, '2.988 dòng hợp lệ, 12 dòng bị từ chối');
      const figure = (row: RegExp) => admin.getByRole('row', { name: row }).first().getByRole('cell').textContent();
      await expect(figure(/^Số dòng dữ liệu đọc được/)).resolves.toBe('3.000');
      await expect(figure(/^Dòng bị từ chối/)).resolves.toBe('12');
      await expect(admin.getByRole('row', { name: /ngoài kỳ khảo sát/ }).getByRole('cell').textContent()).resolves.toBe('28');
      await shot(admin, '04-frame-report');

      // Commit–reveal, step 1: the seed's rule (tomorrow's lottery), fixed with the frame and the allocation.
      await openWavePage(admin, 'Bốc mẫu');
      const commit = admin.locator('section', { has: admin.getByRole('heading', { name: /Bước 1: lập biên bản cam kết/ }) });
      await commit.getByLabel('Nguồn công khai của hạt giống').fill(LOTTERY);
      const drawingDay = tomorrowInVietnam();
      await commit.getByLabel('Ngày quay (sau hôm nay)').fill(drawingDay);
      await commit.getByRole('radio', { name: /Cố định: số phiếu mỗi đơn vị/ }).check();
      await commit.getByLabel('Số phiếu mỗi đơn vị', { exact: true }).fill('10');
      await commit.getByRole('button', { name: 'Lập biên bản cam kết' }).click();
      await expectStatus(admin, 'Đã lập biên bản cam kết số 1');
      await shot(admin, '05-committed');

      // The record to sign, opened and printed.
      await admin.locator('#commitments').getByRole('link', { name: '1', exact: true }).click();
      await expectHeading(admin, 'Biên bản cam kết trước khi bốc mẫu');
      await expect(admin.locator('#frame-sha256').textContent()).resolves.toBe('170348a042779da357cc644eec583483f6502ffe3021ea57ebf51c01c91052f9');
      await admin.emulateMedia({ media: 'print' });
      await shot(admin, '06-commitment-record');
      await admin.pdf({ path: path.join(ARTIFACTS, '06-commitment-record.pdf'), format: 'A4' });
      await admin.emulateMedia({ media: 'screen' });

      // Waiting for the lottery: the server's clock moves two days ahead.
      deps.clock = () => new Date(Date.now() + 2 * 86_400_000);
      await admin.getByRole('link', { name: '← Bốc mẫu' }).click();
      await admin.getByLabel('Số kết quả của nguồn công khai (6 chữ số)').fill(LOTTERY_NUMBER);
      await admin.getByRole('button', { name: 'Bốc mẫu', exact: true }).click();
      await expectStatus(admin, /Đã bốc mẫu \(bản nháp số \d+\)/);
      // The seed is the committed rule's: source, drawing day, the number typed.
      await expect(admin.locator('#draw-record').textContent()).resolves.toContain(`${LOTTERY} ${drawingDay.split('-').reverse().join('/')} ${LOTTERY_NUMBER}`);
      await shot(admin, '07-drawn');

      await admin.getByLabel(/xác nhận công bố lần bốc số/).check();
      await admin.getByRole('button', { name: 'Công bố mẫu' }).click();
      await expectStatus(admin, /Đã công bố lần bốc số \d+: cấp \d+ mã phiếu/);
      await shot(admin, '08-published');

      // The mailing page, then one unit's pack to print.
      await openWavePage(admin, 'Gửi thư mời');
      // This test's server answers on loopback, so the page warns before anything is printed.
      await expect(admin.getByRole('alert').first().textContent()).resolves.toContain('Chưa được in thư');
      for (const unit of ['STP', 'SNV']) {
        if (unit === 'SNV') await admin.getByRole('link', { name: 'Quay lại trang gửi thư' }).click();
        await admin.getByRole('row', { name: new RegExp(`^${unit} `) }).getByRole('link', { name: /^In \d+ thư/ }).click();
        await admin.waitForURL(/\/mailing\/print/);
        packs[unit] = await admin.locator('.person').evaluateAll((sections) =>
          sections.map((s) => ({ code: s.querySelector('.code')!.textContent!.trim(), name: s.querySelector('.to .name')!.textContent!.trim() })),
        );
        expect(packs[unit]).toHaveLength(10);
      }
      await admin.emulateMedia({ media: 'print' });
      await shot(admin, '09-pack-printed');
      await admin.emulateMedia({ media: 'screen' });

      // The first letter's QR code, as a phone's camera would read it.
      const qr = await admin.locator('.person').first().locator('.codebox svg').screenshot({ path: path.join(ARTIFACTS, '10-first-qr.png') });
      const scanned = decodeQrPng(qr);
      expect(scanned).toMatch(new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/q/[A-Za-z0-9_-]+$`));
      const context = await browser.newContext(phone);
      const citizen = await context.newPage();
      await citizen.goto(scanned!);
      await expect(citizen.locator('.lead').textContent()).resolves.toContain('Sở Nội vụ');
      await expect(citizen.locator('.lead').textContent()).resolves.toContain(letter('SNV', 1).code);
      await expect(citizen.getByRole('button', { name: 'Gửi phiếu trả lời' }).count()).resolves.toBe(1);
      await shot(citizen, '11-qr-opens-form');
      await context.close();

      // The post office's list for the mail merge, then every letter handed over.
      await admin.getByRole('link', { name: 'Quay lại trang gửi thư' }).click();
      const manifest = (await download(admin, admin.getByRole('link', { name: 'Danh sách tiêu đề tiếng Việt (trộn thư)' }))).toString('utf8');
      expect(manifest.split('\n')[0]).toContain('Họ và tên');
      expect(manifest).toContain(letter('SNV', 1).name);
      await admin.getByRole('button', { name: /^Đánh dấu tất cả \d+ phiếu chưa gửi là đã gửi$/ }).click();
      await expectStatus(admin, 'Đã đánh dấu 280 phiếu là đã gửi');
      await shot(admin, '12-letters-sent');
    },
    STEP_TIMEOUT,
  );

  /** Reads the QR code of a letter of the SNV pack from the printed page. */
  async function scanLetter(place: number): Promise<string> {
    await admin.goto(url(`/waves/${YEAR}/mailing/print?unit=SNV`));
    const section = admin.locator('.person', { hasText: letter('SNV', place).code });
    const scanned = decodeQrPng(await section.locator('.codebox svg').screenshot());
    expect(scanned).not.toBeNull();
    return scanned!;
  }

  /** Ticks one answer per criterion on the phone's form. */
  async function answerOnPhone(page: Page, answers: AnswerDigits) {
    const scale = ['Không ý kiến', '1 Rất không hài lòng', '2 Không hài lòng', '3 Bình thường', '4 Hài lòng', '5 Rất hài lòng'];
    for (const [i, code] of CRITERIA.entries()) {
      await page.getByRole('group', { name: new RegExp(`^${code}\\.`) }).getByRole('radio', { name: scale[Number(answers[i])], exact: true }).tap();
    }
  }

  it(
    'step 2: three citizens answer on their phones; one sends the form a second time and is told it was already answered',
    async () => {
      const scans = [await scanLetter(1), await scanLetter(2), await scanLetter(3)];
      for (const [i, answers] of QR_ANSWERS.entries()) {
        const context = await browser.newContext(phone);
        context.setDefaultTimeout(15_000);
        const page = await context.newPage();
        await page.goto(scans[i]);
        // The third citizen opens the letter's link twice (two tabs) before sending.
        const again = i === 2 ? await context.newPage() : null;
        await again?.goto(scans[i]);
        // A background tab gets no frames in headless Chromium: taps would wait for them.
        await page.bringToFront();
        await answerOnPhone(page, answers);
        await page.getByRole('button', { name: 'Gửi phiếu trả lời' }).tap();
        await page.waitForURL(/\/cam-on$/);
        await expectHeading(page, 'Cảm ơn ông/bà đã trả lời phiếu khảo sát');
        await shot(page, `13-citizen-${i + 1}-thanked`);
        counted.SNV.push(answers);
        if (again) {
          await again.bringToFront();
          await answerOnPhone(again, QR_SECOND_TRY);
          await again.getByRole('button', { name: 'Gửi phiếu trả lời' }).tap();
          await expectHeading(again, 'Phiếu này đã được trả lời');
          await expect(again.locator('main').textContent()).resolves.toContain('được tính là câu trả lời đầu tiên');
          await shot(again, '14-citizen-3-sends-again');
          // Scanning the letter once more: the form does not open again.
          await again.goto(scans[i]);
          await expectHeading(again, 'Phiếu này đã được trả lời');
          await shot(again, '14-citizen-3-scans-again');
        }
        await context.close();
      }
    },
    STEP_TIMEOUT,
  );

  /** The administrator adds an account on the accounts page; returns the one-time password the page shows once. */
  async function addAccount(username: string, role: 'clerk' | 'supervisor' | 'analyst', units: string[] = []): Promise<string> {
    await admin.goto(url('/admin'));
    await admin.getByRole('link', { name: 'Quản lý tài khoản' }).click();
    const form = admin.locator('form', { has: admin.getByRole('button', { name: 'Thêm tài khoản' }) });
    await form.getByLabel('Tên đăng nhập').fill(username);
    await form.getByLabel('Vai trò').selectOption(role);
    for (const unit of units) await form.getByRole('checkbox', { name: new RegExp(`^${unit} — `) }).check();
    await form.getByRole('button', { name: 'Thêm tài khoản' }).click();
    const shown = admin.getByRole('status').filter({ hasText: `Mật khẩu dùng một lần của tài khoản ${username}:` });
    return (await shown.locator('code').textContent())!;
  }

  /** First sign-in with the one-time password: the platform makes the person choose their own first. */
  async function firstSignIn(username: string, oneTime: string): Promise<Page> {
    const page = await signIn(browser, server.url, username, oneTime);
    await page.waitForURL(url('/tai-khoan/mat-khau'));
    passwords[username] = `${username}-mat-khau-rieng-2023`;
    await page.getByLabel('Mật khẩu dùng một lần').fill(oneTime);
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill(passwords[username]);
    await page.getByLabel('Nhập lại mật khẩu mới').fill(passwords[username]);
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    // Then on to the role's own landing page.
    await page.waitForURL((address) => address.pathname !== '/tai-khoan/mat-khau');
    return page;
  }

  /** Keys one paper form with the keyboard only (the code, one key per criterion, Enter) and waits for the page to say `expected`. */
  async function keyForm(page: Page, code: string, answers: AnswerDigits, expected: string): Promise<void> {
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe('code');
    await page.keyboard.type(code + answers);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#messages').textContent()).toContain(expected);
  }

  it(
    'step 3: two clerks key ten forms twice with the keyboard, one letter is undeliverable then not, one refused; a supervisor settles the one mismatch',
    async () => {
      const clerkPages: Page[] = [];
      for (const [username, role] of [
        ['buudien1', 'clerk'],
        ['buudien2', 'clerk'],
        ['giamsat', 'supervisor'],
        ['phantich', 'analyst'],
      ] as const) {
        // The post office keys the forms of the two units whose letters it carries in this test.
        const oneTime = await addAccount(username, role, role === 'clerk' ? ['SNV', 'STP'] : []);
        if (username === 'buudien1') await shot(admin, '15-account-added');
        const page = await firstSignIn(username, oneTime);
        if (role !== 'clerk') {
          await page.context().close();
          continue;
        }
        // A clerk lands straight on the entry page of the wave being collected.
        expect(new URL(page.url()).pathname).toBe(`/waves/${YEAR}/entry`);
        clerkPages.push(page);
      }

      // Double entry: every paper form is keyed by two people before it counts.
      await admin.goto(url(`/waves/${YEAR}`));
      await openWavePage(admin, 'Nhập phiếu giấy');
      await admin.getByRole('link', { name: 'Cài đặt', exact: true }).click();
      await admin.getByLabel(/Nhập hai lần/).check();
      await admin.getByRole('button', { name: 'Lưu', exact: true }).click();
      await expectStatus(admin, 'Đã bật nhập hai lần');

      const [clerk1, clerk2] = clerkPages;
      await clerk1.reload();
      for (const form of PAPER_FORMS) {
        const { code } = letter(form.unit, form.letter);
        await keyForm(clerk1, code, form.answers, `Đã lưu lần nhập 1 phiếu ${code}`);
      }
      await shot(clerk1, '16-clerk-1-keyed');

      // A letter marked undeliverable by mistake, and the mark undone.
      const messages = () => clerk1.locator('#messages').textContent();
      const wrong = letter(UNDELIVERABLE_UNDONE.unit, UNDELIVERABLE_UNDONE.letter).code;
      await clerk1.keyboard.type(wrong);
      await clerk1.locator('#entry-form').waitFor({ state: 'visible' });
      await clerk1.keyboard.press('Alt+K');
      await clerk1.getByRole('heading', { name: `Xác nhận phiếu ${wrong}` }).waitFor();
      // The page moves focus to the confirm button once its script has run; Enter before that goes nowhere.
      await expect.poll(() => clerk1.evaluate('document.activeElement && document.activeElement.id')).toBe('confirm-button');
      await shot(clerk1, '17-undeliverable-confirm');
      await clerk1.keyboard.press('Enter');
      await expect.poll(messages).toMatch(new RegExp(`phiếu ${wrong} \\(Sở Tư pháp\\): không phát được\\. Đã phát hành phiếu dự phòng \\S+ thay thế`));
      await shot(clerk1, '18-undeliverable-marked');
      await clerk1.getByRole('button', { name: 'Hoàn tác' }).click();
      await expect.poll(messages).toMatch(new RegExp(`Đã hoàn tác: phiếu ${wrong} \\(Sở Tư pháp\\) trở lại trạng thái ".+"\\. Phiếu dự phòng \\S+ chưa gửi đã được thu hồi\\.`));
      await shot(clerk1, '19-undeliverable-undone');

      // A refusal: the unit's next reserve is released for printing.
      const refused = letter(REFUSED.unit, REFUSED.letter).code;
      await expect.poll(() => clerk1.evaluate('document.activeElement && document.activeElement.id')).toBe('code');
      await clerk1.keyboard.type(refused);
      await clerk1.locator('#entry-form').waitFor({ state: 'visible' });
      await clerk1.keyboard.press('Alt+T');
      await clerk1.getByRole('heading', { name: `Xác nhận phiếu ${refused}` }).waitFor();
      // The page moves focus to the confirm button once its script has run; Enter before that goes nowhere.
      await expect.poll(() => clerk1.evaluate('document.activeElement && document.activeElement.id')).toBe('confirm-button');
      await clerk1.keyboard.press('Enter');
      await expect.poll(messages).toMatch(new RegExp(`phiếu ${refused} \\(Sở Tư pháp\\): từ chối\\. Đã phát hành phiếu dự phòng \\S+ thay thế`));
      await shot(clerk1, '20-refused');
      // The released reserve waits on the mailing page, to be printed and sent.
      await admin.goto(url(`/waves/${YEAR}`));
      await openWavePage(admin, 'Gửi thư mời');
      await expect(admin.getByRole('row', { name: /^STP / }).getByRole('cell').nth(4).textContent()).resolves.toBe('1');

      // The second keying records each form; the validity rule (half of the criteria answered) is the reference's.
      await clerk2.reload();
      for (const form of PAPER_FORMS) {
        const { code } = letter(form.unit, form.letter);
        const unitName = form.unit === 'SNV' ? 'Sở Nội vụ' : 'Sở Tư pháp';
        const miskeyed = form.unit === MISKEYED.unit && form.letter === MISKEYED.letter;
        const expected = miskeyed
          ? `Đã lưu lần nhập 2 phiếu ${code} (${unitName}): 1 trường khác lần 1, chuyển giám sát đối chiếu.`
          : `Hai lần nhập khớp; Đã lưu phiếu ${code} (${unitName})${isValid(form.answers) ? ': được tính.' : ' nhưng không hợp lệ'}`;
        await keyForm(clerk2, code, miskeyed ? MISKEYED.answers : form.answers, expected);
        if (!miskeyed && isValid(form.answers)) counted[form.unit].push(form.answers);
      }
      await shot(clerk2, '21-clerk-2-keyed');

      // The supervisor lands on the draw they oversee, and goes to the forms in dispute.
      const supervisor = await signIn(browser, server.url, 'giamsat', passwords.giamsat);
      await supervisor.waitForURL(url(`/waves/${YEAR}/draw`));
      await openWavePage(supervisor, 'Đối chiếu nhập hai lần');
      const disputed = letter(MISKEYED.unit, MISKEYED.letter).code;
      const section = supervisor.locator('section', { has: supervisor.getByRole('heading', { name: new RegExp(`Phiếu ${disputed}`) }) });
      await expect(section.getByRole('row', { name: new RegExp(`^${MISKEYED.criterion} `) }).count()).resolves.toBe(1);
      await shot(supervisor, '22-mismatch');
      await section.getByRole('radio', { name: 'lần 1', exact: true }).check();
      await section.getByRole('button', { name: `Xác nhận phiếu ${disputed}` }).click();
      await expectStatus(supervisor, `Đã đối chiếu 1 trường. Đã lưu phiếu ${disputed} (Sở Tư pháp): được tính.`);
      counted.STP.push(PAPER_FORMS.find((f) => f.unit === MISKEYED.unit && f.letter === MISKEYED.letter)!.answers);
      await expect(supervisor.getByText('Không có phiếu nào chờ đối chiếu.').count()).resolves.toBe(1);
      await shot(supervisor, '23-mismatch-settled');
      await supervisor.context().close();
      for (const page of clerkPages) await page.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    "step 4: an analyst's dashboard, unit CSV, XLSX and report give the indexes worked out independently from the answers",
    async () => {
      const expected = Object.fromEntries(Object.entries(counted).map(([unit, answers]) => [unit, unitIndex(answers)!]));
      expect(expected.SNV.respondents).toBe(7);
      expect(expected.STP.respondents).toBe(5);
      const enough = Object.keys(expected).filter((unit) => expected[unit].respondents >= MIN_RESPONDENTS);
      expect(enough).toEqual(['SNV']);

      // The analyst lands on the results of the wave with answers.
      const analyst = await signIn(browser, server.url, 'phantich', passwords.phantich);
      await analyst.waitForURL(url(`/waves/${YEAR}/analysis`));
      await shot(analyst, '24-dashboard');
      const validForms = Object.values(expected).reduce((n, u) => n + u.respondents, 0);
      await expect(analyst.locator('main').textContent()).resolves.toContain(`${validForms} phiếu hợp lệ được tính chỉ số`);
      for (const unit of Object.keys(expected)) {
        await expect(analyst.getByRole('row', { name: new RegExp(`\\b${unit}\\b`) }).first().textContent()).resolves.toContain(vietnamesePercent(expected[unit].index));
      }

      // The machine-readable unit table: unrounded, "." decimals, UTF-8 with BOM.
      const csvText = (await download(analyst, analyst.getByRole('link', { name: 'Bảng đơn vị, dạng máy đọc (CSV)' }))).toString('utf8');
      expect(csvText.charCodeAt(0)).toBe(0xfeff);
      const csv = Papa.parse<Record<string, string>>(csvText.slice(1), { header: true, skipEmptyLines: true }).data;
      for (const unit of Object.keys(expected)) {
        const row = csv.find((r) => r.unit_code === unit)!;
        expect(Number(row.respondents)).toBe(expected[unit].respondents);
        expect(Number(row.index)).toBeCloseTo(expected[unit].index, 9);
        for (const [element, value] of Object.entries(expected[unit].elements)) expect(Number(row[element])).toBeCloseTo(value, 9);
      }
      // Units nobody answered for have no index.
      expect(csv.filter((r) => r.index !== '').map((r) => r.unit_code).sort()).toEqual(Object.keys(expected).sort());

      // The same table for Excel in Vietnamese: ";" between cells, comma decimals, two of them.
      const viText = (await download(analyst, analyst.getByRole('link', { name: /CSV tiếng Việt/ }))).toString('utf8');
      expect(viText.charCodeAt(0)).toBe(0xfeff);
      const vi = Papa.parse<Record<string, string>>(viText.slice(1), { header: true, delimiter: ';', skipEmptyLines: true }).data;
      for (const unit of Object.keys(expected)) {
        const row = vi.find((r) => r['Mã đơn vị'] === unit)!;
        expect(row['Số phiếu hợp lệ']).toBe(String(expected[unit].respondents));
        expect(row['Chỉ số SIPAS (%)']).toBe(vietnamesePercent(expected[unit].index).replace(' %', ''));
      }

      // The workbook: numbers stay numbers; only units with enough respondents are ranked.
      const workbook = new ExcelJS.Workbook();
      const xlsx = await download(analyst, analyst.getByRole('link', { name: 'Tất cả các bảng (Excel XLSX)' }));
      await workbook.xlsx.load(xlsx as unknown as Parameters<typeof workbook.xlsx.load>[0]);
      const sheet = workbook.getWorksheet('Chỉ số theo đơn vị')!;
      const headers = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
      const column = (header: string) => headers.indexOf(header);
      const xlsxRows = new Map<string, ExcelJS.Row>();
      sheet.eachRow((row, n) => n > 1 && xlsxRows.set(String(row.getCell(column('Mã đơn vị')).value), row));
      for (const unit of Object.keys(expected)) {
        const row = xlsxRows.get(unit)!;
        expect(row.getCell(column('Số phiếu hợp lệ')).value).toBe(expected[unit].respondents);
        expect(row.getCell(column('Chỉ số hài lòng')).value as number).toBeCloseTo(expected[unit].index, 9);
        expect(row.getCell(column('Xếp hạng trong nhóm')).value).toBe(enough.includes(unit) ? 1 : null);
      }

      // The printable report, opened in the browser: its unit table, as printed.
      await analyst.getByRole('link', { name: 'Báo cáo in được (HTML)' }).click();
      await analyst.waitForURL(/report\.html$/);
      await shot(analyst, '25-report');
      const reportRows = await analyst
        .locator('h3', { hasText: /^Chỉ số theo đơn vị$/ })
        .locator('xpath=following-sibling::table[1]')
        .evaluate((table) => {
          const headers = [...table.querySelectorAll('th')].map((th) => th.textContent ?? '');
          return [...table.querySelectorAll('tbody tr')].map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td, i) => [headers[i], td.textContent ?? ''])));
        });
      for (const unit of Object.keys(expected)) {
        const row = reportRows.find((r) => r['Mã đơn vị'] === unit)!;
        expect(row['Số phiếu hợp lệ']).toBe(String(expected[unit].respondents));
        expect(row['Chỉ số hài lòng']).toBe(vietnamesePercent(expected[unit].index));
      }
      await analyst.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    'step 5: the administrator closes the wave and purges personal data; letters and the manifest no longer show names',
    async () => {
      await admin.goto(url('/admin'));
      await admin.getByRole('link', { name: 'Khóa đợt', exact: true }).click();
      await shot(admin, '26-close');
      await admin.getByLabel(`Tôi đã kiểm tra: đợt ${YEAR} không cần nhận thêm phiếu nào`).check();
      await admin.getByRole('button', { name: `Khóa đợt ${YEAR}` }).click();
      await expectStatus(admin, `Đã khóa đợt ${YEAR}`);

      await admin.goto(url('/admin'));
      await admin.getByRole('link', { name: 'Xóa dữ liệu cá nhân', exact: true }).click();
      await shot(admin, '27-purge');
      // The phrase to type is the one the page shows.
      const confirmation = admin.getByLabel(/^Để xác nhận, gõ/);
      const phrase = (await admin.locator('label[for="confirmation"] code').textContent())!;
      await confirmation.fill(phrase);
      await admin.getByRole('button', { name: `Xóa dữ liệu cá nhân của đợt ${YEAR}` }).click();
      await expectStatus(admin, `Đã xóa dữ liệu cá nhân của đợt ${YEAR}`);

      await openWavePage(admin, 'Gửi thư mời');
      await shot(admin, '28-mailing-after-purge');
      const mailing = (await admin.locator('main').textContent()) ?? '';
      expect(mailing).toContain('Dữ liệu cá nhân của đợt này đã được xóa');
      // Nothing can be printed any more: the warning about the loopback address in PUBLIC_BASE_URL is gone too.
      expect(mailing).not.toContain('Chưa được in thư');
      const names = Object.values(packs).flatMap((letters) => letters.map((l) => l.name));
      expect(names).toHaveLength(20);
      for (const name of names) expect(mailing).not.toContain(name);
      for (const path of [`/waves/${YEAR}/mailing/print?unit=SNV`, `/waves/${YEAR}/mailing/manifest.csv`]) {
        const response = await admin.goto(url(path));
        const text = (await response!.text()) ?? '';
        for (const name of names) expect(text).not.toContain(name);
      }
    },
    STEP_TIMEOUT,
  );
});
