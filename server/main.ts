import { serve } from '@hono/node-server';
import fs from 'node:fs';
import { createApp } from './app';
import { createAppDeps } from './app-env';
import { loadConfig } from './config';
import { ConfigError } from './errors';
import { migrateToLatest, openDatabase } from './db/connect';
import { seedDemoIfEmpty } from './demo/seed-demo';

async function main() {
  const config = loadConfig();
  const db = openDatabase(config.database);
  await migrateToLatest(db);
  const demo = await seedDemoIfEmpty(db, config.dataDir);
  const server = serve({ fetch: createApp(createAppDeps({ db, config })).fetch, port: config.port, hostname: config.host });
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
    if (demo.seeded) console.log(`Đã tạo đợt mẫu An Giang 2023 và các tài khoản mẫu.`);
    if (fs.existsSync(demo.accountsFile)) {
      console.log(`Đăng nhập bằng một trong các tài khoản sau (lưu ở ${demo.accountsFile}):`);
      console.log(fs.readFileSync(demo.accountsFile, 'utf8').trimEnd().replace(/^/gm, '  '));
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
