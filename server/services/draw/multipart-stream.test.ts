import { describe, expect, it } from 'vitest';
import { MultipartReader, multipartBoundary } from './multipart-stream';

async function encode(form: FormData): Promise<{ bytes: Buffer; contentType: string }> {
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { bytes: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

async function* inChunks(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(bytes: Buffer, contentType: string, chunkSize: number) {
  const reader = new MultipartReader(inChunks(bytes, chunkSize), multipartBoundary(contentType));
  const parts: { name: string; filename?: string; content: string }[] = [];
  for (let part = await reader.nextPart(); part !== null; part = await reader.nextPart()) {
    if (part.filename === undefined) {
      parts.push({ name: part.name, content: await reader.text() });
    } else {
      const chunks: Buffer[] = [];
      for await (const chunk of reader.body()) chunks.push(Buffer.from(chunk));
      parts.push({ name: part.name, filename: part.filename, content: Buffer.concat(chunks).toString('utf8') });
    }
  }
  return parts;
}

describe('MultipartReader', () => {
  it('gives back fields and file bytes exactly, however the body is split', async () => {
    // File content with CRLFs, dashes and something that looks like a boundary start.
    const content = 'Mã hồ sơ,Họ và tên\r\n--A-1,"Nguyễn\r\nVăn"\r\n\r\n--\r\n' + 'x'.repeat(5000);
    const form = new FormData();
    form.append('strict', '1');
    form.append('file', new Blob([content]), 'khung mẫu.csv');
    form.append('after', 'sau');
    const { bytes, contentType } = await encode(form);
    for (const size of [1, 2, 7, 64, 1000, bytes.length]) {
      expect(await readAll(bytes, contentType, size)).toEqual([
        { name: 'strict', content: '1' },
        { name: 'file', filename: 'khung mẫu.csv', content },
        { name: 'after', content: 'sau' },
      ]);
    }
  });

  it('skips an unread part and refuses a body that stops early or is not multipart', async () => {
    const form = new FormData();
    form.append('file', new Blob(['a,b\r\n1,2\r\n']), 'f.csv');
    form.append('note', 'x');
    const { bytes, contentType } = await encode(form);
    const reader = new MultipartReader(inChunks(bytes, 5), multipartBoundary(contentType));
    expect(await reader.nextPart()).toEqual({ name: 'file', filename: 'f.csv' });
    expect(await reader.nextPart()).toEqual({ name: 'note' });
    expect(await reader.text()).toBe('x');
    expect(await reader.nextPart()).toBeNull();

    const cut = new MultipartReader(inChunks(bytes.subarray(0, bytes.length - 30), 5), multipartBoundary(contentType));
    await cut.nextPart();
    await expect(cut.skipBody().then(() => cut.nextPart()).then(() => cut.text())).rejects.toThrow('bị ngắt giữa chừng');
    expect(() => multipartBoundary('application/x-www-form-urlencoded')).toThrow('multipart/form-data');
  });
});
