import { UserError } from '../../errors';

/**
 * Reads a multipart/form-data body part by part without holding it: a frame file may be
 * 2 GB, and Hono's parseBody() would buffer all of it. Parts must be read in order; a file
 * part's bytes come out in chunks as they arrive.
 */

const CRLF_CRLF = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_FIELD_BYTES = 64 * 1024;

export interface PartHeader {
  name: string;
  /** Present for file inputs (may be '' when the browser sent no file). */
  filename?: string;
}

export function multipartBoundary(contentType: string | undefined): string {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || !match) {
    throw new UserError('Biểu mẫu phải được gửi dạng multipart/form-data (kèm tệp)');
  }
  return (match[1] ?? match[2]).trim();
}

export class MultipartReader {
  private readonly source: AsyncIterator<Uint8Array>;
  // The body is read as if it started with CRLF, so every boundary, the first included, is CRLF--boundary.
  private pending: Buffer = Buffer.from('\r\n');
  private readonly delimiter: Buffer;
  private sourceDone = false;
  private started = false;
  private inBody = false;
  private finished = false;

  constructor(body: AsyncIterable<Uint8Array>, boundary: string) {
    this.source = body[Symbol.asyncIterator]();
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  private async pull(): Promise<boolean> {
    if (this.sourceDone) return false;
    const { value, done } = await this.source.next();
    if (done) {
      this.sourceDone = true;
      return false;
    }
    this.pending = this.pending.length === 0 ? Buffer.from(value) : Buffer.concat([this.pending, value]);
    return true;
  }

  /** The next part's header, or null after the closing boundary. Skips what is left of the current part. */
  async nextPart(): Promise<PartHeader | null> {
    if (this.inBody) await this.skipBody();
    if (this.finished) return null;
    // Find the first delimiter (only the preamble precedes it).
    if (!this.started) {
      for (;;) {
        const at = this.pending.indexOf(this.delimiter);
        if (at >= 0) {
          this.pending = this.pending.subarray(at + this.delimiter.length);
          break;
        }
        if (!(await this.pull())) throw truncated();
      }
      this.started = true;
    }
    while (this.pending.length < 2) if (!(await this.pull())) throw truncated();
    if (this.pending[0] === 0x2d && this.pending[1] === 0x2d) {
      this.finished = true;
      return null;
    }
    let end: number;
    while ((end = this.pending.indexOf(CRLF_CRLF)) < 0) {
      if (this.pending.length > MAX_HEADER_BYTES) throw new UserError('Phần đầu của biểu mẫu gửi lên quá dài');
      if (!(await this.pull())) throw truncated();
    }
    const headerText = this.pending.subarray(0, end).toString('utf8');
    this.pending = this.pending.subarray(end + CRLF_CRLF.length);
    this.inBody = true;
    const disposition = /content-disposition:[^\r\n]*/i.exec(headerText)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    return filename === undefined ? { name } : { name, filename: filename.normalize('NFC') };
  }

  /** The next chunk of the current part, or null at its end. */
  private async bodyChunk(): Promise<Buffer | null> {
    if (!this.inBody) return null;
    for (;;) {
      const at = this.pending.indexOf(this.delimiter);
      if (at >= 0) {
        const chunk = this.pending.subarray(0, at);
        this.pending = this.pending.subarray(at + this.delimiter.length);
        this.inBody = false;
        return chunk;
      }
      // Everything except a possible start of the delimiter is safe to hand out.
      const safe = this.pending.length - this.delimiter.length;
      if (safe > 0) {
        const chunk = this.pending.subarray(0, safe);
        this.pending = this.pending.subarray(safe);
        return chunk;
      }
      if (!(await this.pull())) throw truncated();
    }
  }

  /** The current part's bytes, streamed. */
  async *body(): AsyncGenerator<Uint8Array> {
    for (let chunk = await this.bodyChunk(); chunk !== null; chunk = await this.bodyChunk()) {
      if (chunk.length > 0) yield chunk;
    }
  }

  /** The current part as text (a small form field). */
  async text(): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.body()) {
      size += chunk.length;
      if (size > MAX_FIELD_BYTES) throw new UserError('Một ô của biểu mẫu quá dài');
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks).toString('utf8').normalize('NFC');
  }

  async skipBody(): Promise<void> {
    while ((await this.bodyChunk()) !== null);
  }

  /** Reads to the end so the client's upload completes before the reply. */
  async drain(): Promise<void> {
    while ((await this.nextPart()) !== null);
  }
}

function truncated(): UserError {
  return new UserError('Tệp gửi lên bị ngắt giữa chừng: hãy gửi lại');
}

/**
 * Reads a multipart upload as it arrives: the small fields before the file part (named
 * `file`), then hands the file's bytes on as a stream. Whatever follows the file is read and
 * ignored, so the browser's upload completes before the reply.
 */
export async function withUploadedFile<T>(
  request: Request,
  use: (file: { name: string; bytes: AsyncIterable<Uint8Array> }, fields: Record<string, string>) => Promise<T>,
): Promise<T> {
  const body = request.body;
  if (!body) throw new UserError('Chưa chọn tệp');
  const reader = new MultipartReader(body as unknown as AsyncIterable<Uint8Array>, multipartBoundary(request.headers.get('content-type') ?? undefined));
  const fields: Record<string, string> = {};
  try {
    for (let part = await reader.nextPart(); part !== null; part = await reader.nextPart()) {
      if (part.filename === undefined) {
        fields[part.name] = await reader.text();
        continue;
      }
      if (part.name !== 'file') continue;
      if (part.filename === '') throw new UserError('Chưa chọn tệp');
      return await use({ name: part.filename, bytes: reader.body() }, fields);
    }
    throw new UserError('Chưa chọn tệp');
  } finally {
    await reader.drain().catch(() => undefined);
  }
}
