/*
 * Cost of erasing purged personal data from the database's files (issue 10).
 *
 *   npx tsx bench/purge.ts [perUnit]     default 90 per unit + 20 % reserve over 28 units ≈ 3,000 drawn
 *
 * Builds once, through the platform's services, a closed wave whose frame (seeded generator,
 * Vietnamese names) was imported, drawn and published, with a response for ~40 % of the letters;
 * then, on a fresh copy of that database each time, runs `wave purge-personal-data`'s service:
 *   without: the purge transaction alone (what the platform did before: deleted rows stay in
 *            free pages and in the WAL);
 *   with:    the same, then eraseDeletedData (VACUUM + wal_checkpoint(TRUNCATE), server/db/secure-erase.ts).
 * Alternating, 5 rounds, median wall time; and how many purged names, ID numbers, phones,
 * addresses and dossier codes can still be read in the database file and its WAL afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateToLatest, openDatabase, type Db } from '../server/db/connect';
import { writeTransaction } from '../server/db/unit-of-work';
import { insertResponse } from '../server/repositories/responses';
import { publishDraw } from '../server/services/draw/draw-publish';
import { importFrame } from '../server/services/draw/frame-import';
import { closeWave, purgePersonalData } from '../server/services/waves/wave-lifecycle';
import { createWave, importUnits } from '../server/services/waves/waves';
import { valuesFoundIn } from '../test/support/find-values';
import { seededRandom } from '../sampling/test-support';
import { drawUnderCommitment } from '../test/support/committed-draw';

const ROUNDS = 5;
const YEAR = 2023;
const perUnit = Number(process.argv[2] ?? 90);
const UNITS_CSV = fileURLToPath(new URL('../server/demo/units-2023.csv', import.meta.url));
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-bench-purge-'));

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Hoàng', 'Phan', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Trương'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Minh', 'Thanh', 'Ngọc', 'Đức', 'Mỹ', 'Tấn', 'Hồng', 'Diễm', 'Quốc', 'Kim', 'Bảo'];
const GIVEN = ['An', 'Anh', 'Bình', 'Châu', 'Dũng', 'Hải', 'Hoa', 'Khang', 'Linh', 'Long', 'Mai', 'Nam', 'Oanh', 'Phúc', 'Tài', 'Trang', 'Tuấn', 'Yến', 'Thảo', 'Vy'];
const STREETS = ['Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Huệ', 'Hai Bà Trưng', 'Phan Đình Phùng', 'Lý Thái Tổ', 'Nguyễn Trãi'];
const WARDS = ['Mỹ Bình', 'Mỹ Long', 'Núi Sam', 'Nhà Bàng', 'Ba Chúc', 'Bình Khánh', 'Vĩnh Mỹ', 'Long Thạnh'];

function frameCsv(unitCodes: string[], rowsPerUnit: number): string {
  const random = seededRandom(2023);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const lines = ['Mã hồ sơ,Mã đơn vị,Tên thủ tục,Họ và tên,Loại đối tượng,Số CCCD,Số điện thoại,Địa chỉ,Ngày trả kết quả,Hình thức nộp'];
  let n = 0;
  for (const unit of unitCodes) {
    for (let i = 0; i < rowsPerUnit; i++) {
      n++;
      const id = `0${String(89_000_000_000 + n * 7919).padStart(11, '0')}`;
      const address = `"Số ${1 + Math.floor(random() * 400)}, đường ${pick(STREETS)}, phường/xã ${pick(WARDS)}, tỉnh An Giang"`;
      const date = `${String(1 + Math.floor(random() * 28)).padStart(2, '0')}/${String(1 + Math.floor(random() * 12)).padStart(2, '0')}/${YEAR}`;
      lines.push(`${unit}-${YEAR}-${String(n).padStart(7, '0')},${unit},Chứng thực bản sao,${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)},Cá nhân,${id},09${String(10_000_000 + n * 613).padStart(8, '0')},${address},${date},Trực tiếp`);
    }
  }
  return lines.join('\r\n') + '\r\n';
}

async function buildTemplate(dir: string): Promise<{ file: string; purged: string[]; drawn: number }> {
  const file = path.join(dir, 'sipas.db');
  const db = openDatabase({ kind: 'sqlite', file });
  await migrateToLatest(db);
  const units = await writeTransaction(db, async (trx) => {
    await createWave(trx, { year: YEAR, actor: 'bench' });
    return importUnits(trx, YEAR, fs.readFileSync(UNITS_CSV), 'bench');
  });
  const frame = path.join(dir, 'frame.csv');
  fs.writeFileSync(frame, frameCsv(units.map((u) => u.code), Math.ceil(perUnit * 1.2) * 2));
  const imported = await importFrame({ db, dataDir: dir }, YEAR, { fileName: 'frame.csv', bytes: fs.createReadStream(frame), strict: true }, 'bench');
  if (!imported.ok) throw imported.error;
  await drawUnderCommitment(db, YEAR, { allocation: { kind: 'fixed', perUnit }, reservePercent: 20 });
  await writeTransaction(db, (trx, afterCommit) => publishDraw(trx, afterCommit, YEAR, {}, 'bench'));
  const random = seededRandom(7);
  const letters = await db.selectFrom('questionnaires').select(['id', 'unit_code']).where('released', '=', 1).execute();
  await writeTransaction(db, async (trx) => {
    const codes = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];
    for (const q of letters.filter(() => random() < 0.4)) {
      const answers = Object.fromEntries(codes.map((c) => [c, 1 + Math.floor(random() * 5)]));
      await insertResponse(trx, { waveYear: YEAR, questionnaireId: q.id, unitCode: q.unit_code, channel: 'qr', state: 'counted', answers, profile: {}, comment: null, enteredBy: null });
    }
    await closeWave(trx, YEAR, 'bench');
  });
  const contacts = await db.selectFrom('contacts').select(['applicant_name', 'id_number', 'phone', 'address']).execute();
  const entries = await db.selectFrom('sample_entries').select('dossier_code').execute();
  await db.destroy();
  const purged = [...contacts.flatMap((c) => [c.applicant_name, c.id_number ?? '', c.phone ?? '', c.address ?? '']), ...entries.map((e) => e.dossier_code)].filter((v) => v.length >= 4);
  return { file, purged: [...new Set(purged)], drawn: contacts.length };
}

type Variant = 'without' | 'with';

async function purgeOnce(template: string, variant: Variant, round: number, purged: string[]): Promise<{ ms: number; left: number; bytes: number }> {
  const dir = path.join(root, `${variant}-${round}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, 'sipas.db');
  fs.copyFileSync(template, file);
  const db: Db = openDatabase({ kind: 'sqlite', file });
  const start = performance.now();
  await writeTransaction(db, (trx, afterCommit) =>
    // Without: the after-commit work (here only the erasure; the frame file went at publish) is dropped.
    purgePersonalData(trx, variant === 'with' ? afterCommit : () => {}, YEAR, dir, 'bench'),
  );
  const ms = performance.now() - start;
  const files = [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f));
  const left = new Set(files.flatMap((bytes) => [...valuesFoundIn(bytes, purged)])).size;
  const bytes = files.reduce((sum, b) => sum + b.length, 0);
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  return { ms, left, bytes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const templateDir = path.join(root, 'template');
fs.mkdirSync(templateDir);
const { file: template, purged, drawn } = await buildTemplate(templateDir);
console.log(`Wave of ${drawn} drawn people, ${purged.length} distinct purged values; database ${(fs.statSync(template).size / 1_048_576).toFixed(1)} MB`);
const results: Record<Variant, { ms: number; left: number; bytes: number }[]> = { without: [], with: [] };
for (let round = 0; round < ROUNDS; round++) {
  const order: Variant[] = round % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
  for (const variant of order) results[variant].push(await purgeOnce(template, variant, round, purged));
}
console.log('| purge | median ms | min–max ms | purged values still readable (db + WAL) | db + WAL bytes after |');
console.log('|---|---:|---:|---:|---:|');
for (const variant of ['without', 'with'] as Variant[]) {
  const ms = results[variant].map((r) => r.ms);
  const last = results[variant].at(-1)!;
  console.log(`| ${variant} erase | ${median(ms).toFixed(0)} | ${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)} | ${last.left} of ${purged.length} | ${last.bytes.toLocaleString('en')} |`);
}
fs.rmSync(root, { recursive: true, force: true });
