import { serve } from '@hono/node-server';
import { createApp } from './app';
import { createAppDeps } from './app-env';
import { keepRequestsOfClosedConnections } from './http-server';
import { loadConfig } from './config';
import { ConfigError } from './errors';
import { migrateToLatest, openDatabase } from './db/connect';
import { withStartLock } from './db/dialect';
import { writeTransaction } from './db/unit-of-work';
import { sweepStoredFiles } from './services/storage/stored-files';
import { failAbandonedTasks } from './services/tasks/long-tasks';
import { sharedSamplingThreads } from './services/draw/sampling-threads';
import { seedDemoIfEmpty } from './demo/seed-demo';
import { countUsers } from './repositories/users';

async function main() {
  const config = loadConfig();
  const db = openDatabase(config.database);
  // Instances starting together take turns: one migrates (and seeds), the others then find it done.
  const demo = await withStartLock(db, async () => {
    await migrateToLatest(db);
    // Frame copies a killed process left behind (mid-upload, or after publish committed) go now.
    const swept = await writeTransaction(db, (trx, afterCommit) => sweepStoredFiles(trx, afterCommit, config.dataDir, { atStart: true }));
    if (swept.length > 0) console.log(`Đã xóa ${swept.length} tệp khung mẫu bị bỏ lại`);
    // Imports and draws a killed process left 'running' (silent for 30 s; another instance's live ones write every second).
    const abandoned = await writeTransaction(db, (trx) => failAbandonedTasks(trx, new Date()));
    if (abandoned > 0) console.log(`Đã đánh dấu ${abandoned} lần nhập khung mẫu hoặc bốc mẫu bị dừng giữa chừng: cần làm lại`);
    // Demo data only when asked for (`npm start` passes --demo): a production database starts empty.
    return process.argv.slice(2).includes('--demo') ? seedDemoIfEmpty(db, config.dataDir, { with2025: true }) : { seeded: false, accounts: [] };
  });
  const noAccounts = (await countUsers(db)) === 0;
  const deps = createAppDeps({ db, config });
  // The results thread loads while the server starts serving, not when the first analyst waits;
  // so do the sampling threads (rank HMACs, a frame's second part: they only pay off warm).
  deps.results.start();
  sharedSamplingThreads();
  const server = serve({ fetch: createApp(deps).fetch, port: config.port, hostname: config.host });
  keepRequestsOfClosedConnections(server);
  server.once('error', (error: NodeJS.ErrnoException) => {
    const reason =
      error.code === 'EADDRINUSE'
        ? `cổng ${config.port} đang được chương trình khác dùng: dừng chương trình đó hoặc đặt PORT=<cổng khác>`
        : error.code === 'EACCES'
          ? `không có quyền mở cổng ${config.port}: dùng cổng trên 1024, ví dụ PORT=3000`
          : error.message;
    console.error(`Không khởi động được SIPAS: ${reason}`);
    process.exit(1);
  });
  server.once('listening', () => {
    console.log(`SIPAS đang chạy tại http://localhost:${config.port} (cơ sở dữ liệu: ${config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL'})`);
    if (demo.seeded) {
      // Shown this once and stored nowhere in clear: note them now.
      console.log(`Đã tạo đợt mẫu An Giang 2023, đợt mẫu An Giang 2025 (sau sáp nhập) và các tài khoản mẫu. Mật khẩu chỉ hiện một lần này:`);
      for (const a of demo.accounts) console.log(`  ${a.username}\t${a.password}\t(${a.role})`);
    } else if (noAccounts) {
      console.log('Chưa có tài khoản nào. Tạo tài khoản quản trị đầu tiên bằng: npm run sipas -- user add --role admin <tên-đăng-nhập>');
    }
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Nhận ${signal}, đang dừng…`);
    server.close(async () => {
      await db.destroy();
      process.exit(0);
    });
    // Keep-alive connections would hold close() open forever.
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Không khởi động được SIPAS: ${error.message}`);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
