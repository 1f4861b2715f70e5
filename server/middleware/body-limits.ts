import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env';
import { UserError } from '../errors';
import { BOUNDARIES_MAX_BYTES } from '../services/results/boundaries-import';

/**
 * Bounds every request body before anything reads it: a form posted to any route, the QR form
 * from any stranger included, could otherwise be hundreds of megabytes or a million fields,
 * which the form parser would hold and loop over in full. A declared Content-Length above the
 * limit is refused before a byte is read; a body without one is cut off as it is read, so a
 * route can still check what it must (the QR token) before reading at all.
 */

/** A form a person fills in: the QR form is about 1 KB, the longest comment 2,000 characters. */
export const FORM_MAX_BYTES = 64 * 1024;
/** Administrative CSV files read whole (responses, units, last year's table): a province's responses are a few MB. */
export const CSV_UPLOAD_MAX_BYTES = 16 * 1024 * 1024;
/** Fields of one form (or parts of one upload): the QR form has about 30. */
export const MAX_FORM_FIELDS = 300;

/** Frame files (2 GB is a normal case) are streamed part by part by multipart-stream.ts, never held. */
const STREAMED_UPLOADS = /^\/waves\/[^/]+\/(frame|draw\/verify)\/?$/;
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The citizen's forms: `/q/<token>` reads nothing before its token is checked. */
const SESSIONLESS_FORMS = /^\/(q\/[^/]+|k)$/;
const CSV_UPLOADS = /^\/waves\/[^/]+\/(units|analysis\/previous|responses\/import)\/?$/;
/** A GeoJSON of the communes' boundaries, read whole (boundaries-import.ts bounds it). */
const BOUNDARY_UPLOADS = /^\/waves\/[^/]+\/analysis\/boundaries\/?$/;

function tooLarge(maxBytes: number): UserError {
  const size = maxBytes >= 1024 * 1024 ? `${maxBytes / (1024 * 1024)} MB` : `${maxBytes / 1024} KB`;
  return new UserError(`Dữ liệu gửi lên quá lớn: tối đa ${size} cho trang này. Nếu là tệp, hãy chia nhỏ tệp rồi gửi lại.`, 413);
}

/** For a form parsed after its route's own checks: more fields than any form of ours has. */
export function countsAsTooManyFields(form: Record<string, unknown>): boolean {
  let fields = 0;
  for (const key in form) {
    const value = form[key];
    fields += Array.isArray(value) ? value.length : 1;
  }
  return fields > MAX_FORM_FIELDS;
}

export function tooManyFields(): UserError {
  return new UserError(`Biểu mẫu gửi lên có quá nhiều trường (tối đa ${MAX_FORM_FIELDS}); không có gì được ghi.`, 400);
}

/**
 * What separates fields in this body: `&` in a URL-encoded form, the boundary line in a
 * multipart one; null for other bodies (no route reads them as forms).
 */
function fieldSeparator(contentType: string | undefined): Uint8Array | null {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return new TextEncoder().encode('&');
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (type === 'multipart/form-data' && boundary) return new TextEncoder().encode(`--${boundary[1] ?? boundary[2]}`);
  return null;
}

/** A URL-encoded form of n fields has n − 1 separators; a multipart one n + 1 boundary lines. */
function allowedSeparators(separator: Uint8Array): number {
  return separator.length > 1 ? MAX_FORM_FIELDS + 1 : MAX_FORM_FIELDS - 1;
}

function occurrences(haystack: Buffer, needle: Uint8Array): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

/**
 * Passes the body through while counting bytes and field separators; past either limit the
 * stream fails and `refusal` says why. A separator split across two chunks is found by keeping
 * the previous chunk's last bytes.
 */
function guardedBody(body: ReadableStream<Uint8Array>, maxBytes: number, separator: Uint8Array | null) {
  const guard = { refusal: null as UserError | null, stream: body };
  let bytes = 0;
  const allowed = separator ? allowedSeparators(separator) : 0;
  let separators = 0;
  let tail: Buffer = Buffer.alloc(0);
  guard.stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) guard.refusal = tooLarge(maxBytes);
        else if (separator) {
          const window = Buffer.concat([tail, chunk]);
          separators += occurrences(window, separator);
          tail = window.subarray(Math.max(0, window.length - (separator.length - 1)));
          if (separators > allowed) guard.refusal = tooManyFields();
        }
        if (guard.refusal) controller.error(guard.refusal);
        else controller.enqueue(chunk);
      },
    }),
  );
  return guard;
}

export function limitBodies() {
  return createMiddleware<AppEnv>(async (c, next) => {
    // Decided from the method and headers: touching `raw.body` makes the Node adapter build a
    // web stream for the request, which every citizen's submission would pay for.
    if (BODILESS_METHODS.has(c.req.method) || STREAMED_UPLOADS.test(c.req.path)) return next();
    const raw = c.req.raw;
    const maxBytes = BOUNDARY_UPLOADS.test(c.req.path) ? BOUNDARIES_MAX_BYTES : CSV_UPLOADS.test(c.req.path) ? CSV_UPLOAD_MAX_BYTES : FORM_MAX_BYTES;
    const declared = raw.headers.get('content-length');
    if (declared !== null && !(Number(declared) <= maxBytes)) throw tooLarge(maxBytes);
    const separator = fieldSeparator(raw.headers.get('content-type') ?? undefined);
    if (declared !== null) {
      // Node's parser delivers no more than the declared length, so the size is already bounded,
      // and a counting stream would cost every citizen's submission a rebuilt request. The
      // citizen's forms count their fields after their token is checked (qr-routes.tsx, with
      // `countsAsTooManyFields`); staff forms are counted here, from the body Hono keeps for the route.
      if (SESSIONLESS_FORMS.test(c.req.path) || !separator) return next();
      if (occurrences(Buffer.from(await c.req.arrayBuffer()), separator) > allowedSeparators(separator)) throw tooManyFields();
      return next();
    }
    if (!raw.body) return next();
    const guard = guardedBody(raw.body, maxBytes, separator);
    c.req.raw = new Request(raw, { body: guard.stream, duplex: 'half' } as RequestInit);
    await next();
    if (guard.refusal) {
      // Whoever read the body met the cut-off stream and answered with a read error: that response
      // (and its headers, a compressed encoding among them) is dropped for one that says why.
      c.res = undefined as unknown as Response;
      throw guard.refusal;
    }
  });
}
