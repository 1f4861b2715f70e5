import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { FORM_MAX_BYTES, MAX_FORM_FIELDS } from '../server/middleware/body-limits';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { startLiveServer } from './support/live-server';
import { createTestDeps } from './support/test-deps';

const criteria = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];

/**
 * Sends a request head and part of its body over a raw socket, then stops sending and waits for
 * the reply: a reply that comes proves the server answered without the rest of the body.
 */
function replyBeforeBodyEnds(url: string, head: string, firstBytes: Buffer): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(head);
      socket.write(firstBytes);
    });
    let received = '';
    socket.on('data', (data) => {
      received += data.toString('utf8');
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd === -1) return;
      socket.destroy();
      resolve({ status: Number(received.slice(9, 12)), text: received });
    });
    socket.on('error', reject);
    // Only bounds a failing run (a server that waits for the rest of the body never replies).
    setTimeout(() => {
      socket.destroy();
      reject(new Error('no reply while the body was incomplete: the server waited for the whole body'));
    }, 10_000).unref();
  });
}

/** Streams `total` bytes of `a=1&…` with chunked encoding, as fast as the server takes them, until the reply comes. */
function streamUntilReply(url: string, path: string, total: number): Promise<{ status: number; text: string; sent: number }> {
  const { hostname, port } = new URL(url);
  const chunk = Buffer.from('abcdefgh'.repeat(8 * 1024));
  return new Promise((resolve, reject) => {
    let sent = 0;
    let replied = false;
    let received = '';
    const socket = net.connect(Number(port), hostname, async () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`);
      while (!replied && sent < total) {
        const ok = socket.write(`${chunk.length.toString(16)}\r\n`) && socket.write(chunk) && socket.write('\r\n');
        sent += chunk.length;
        await new Promise((r) => (ok ? setImmediate(r) : socket.once('drain', r)));
        if (socket.destroyed) break;
      }
      if (!replied && !socket.destroyed) socket.write('0\r\n\r\n');
    });
    socket.on('data', (data) => {
      received += data.toString('utf8');
      if (replied || !received.includes('\r\n\r\n')) return;
      replied = true;
      resolve({ status: Number(received.slice(9, 12)), text: received, sent });
      socket.destroy();
    });
    socket.on('error', (error) => (replied ? undefined : reject(error)));
  });
}

describe('request bodies are bounded before they are read', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let server: Awaited<ReturnType<typeof startLiveServer>>;
  let first: PublishedQuestionnaire;

  beforeEach(async () => {
    deps = await createTestDeps();
    first = (await createPublishedWave(deps.db, { perUnit: 2, reserves: 0 })).questionnaires[0];
    server = await startLiveServer(deps);
  });
  afterEach(async () => {
    await server.close();
    await deps.cleanup();
  });

  const storedResponses = async () => (await deps.db.selectFrom('responses').select('id').execute()).length;

  it('answers a declared 50 MB form with 413 in Vietnamese after 1 KB of it was sent', async () => {
    const head = `POST /q/${first.token} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`;
    const reply = await replyBeforeBodyEnds(server.url, head, Buffer.alloc(1024, 'a'));
    expect(reply.status).toBe(413);
    const body = await (await createApp(deps).request(`/q/${first.token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(FORM_MAX_BYTES + 1) }, body: 'a'.repeat(FORM_MAX_BYTES + 1) })).text();
    expect(body).toContain('Dữ liệu gửi lên quá lớn: tối đa 64 KB');
    expect(await storedResponses()).toBe(0);
  });

  it('cuts a chunked body (no length declared) off at the limit, while the client is still sending', async () => {
    const total = 50 * 1024 * 1024;
    const reply = await streamUntilReply(server.url, `/q/${first.token}`, total);
    expect(reply.status).toBe(413);
    expect(reply.sent).toBeLessThan(total);
    expect(await storedResponses()).toBe(0);
  });

  it('answers a post to an unknown token with 404 before reading its body', async () => {
    const head = `POST /q/khong-co-ma-nay HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000\r\n\r\n`;
    const reply = await replyBeforeBodyEnds(server.url, head, Buffer.from('A1=4&A2='));
    expect(reply.status).toBe(404);
  });

  it(`refuses a form of more than ${MAX_FORM_FIELDS} fields with 400, storing nothing`, async () => {
    const body = new URLSearchParams();
    for (const code of criteria) body.set(code, '4');
    for (let i = 0; i < 1000; i++) body.append('x', '1');
    const response = await fetch(`${server.url}/q/${first.token}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(`quá nhiều trường (tối đa ${MAX_FORM_FIELDS})`);
    expect(await storedResponses()).toBe(0);
  });

  it('still takes an ordinary QR form', async () => {
    const body = new URLSearchParams();
    for (const code of criteria) body.set(code, '4');
    const response = await fetch(`${server.url}/q/${first.token}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(await storedResponses()).toBe(1);
  });

  it('bounds the sign-in form and the CSV uploads too', async () => {
    const app = createApp(deps);
    const signIn = await app.request('/dang-nhap', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(FORM_MAX_BYTES + 1) }, body: `username=${'a'.repeat(FORM_MAX_BYTES)}` });
    expect(signIn.status).toBe(413);
    const upload = await app.request('/waves/2023/responses/import', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(17 * 1024 * 1024) }, body: 'x' });
    expect(upload.status).toBe(413);
  });
});
