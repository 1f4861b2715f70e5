import { createHash } from 'node:crypto';
import { DrawIndexWriter, type DrawIndexSink } from './draw-index';
import { readPass } from './frame-pass';
import { findSplit, isFrameFile, ReadInParts, type FrameFile } from './frame-parts';
import { FrameReader } from './frame-reader';
import { replayLog, type RowLogPart } from './frame-replay';
import { memoryScratch } from './scratch-space';
import type { ByteSource, FrameOptions, FrameScan, ScratchSpace } from './types';

/**
 * The import: reads the frame, once, and reports on it. With `index`, also writes there the
 * draw index (draw-index.ts): what the draw needs per eligible person, so the draw does not read
 * the frame again (drawFromIndex). `scratch` gives room for the row log (row-log.ts): memory by
 * default; a caller reading large frames gives a file, and deletes it after.
 *
 * `input` is a stream, or a file that can be read in parts: a large one is then read in two
 * parts at once when it gives a thread for the second (frame-parts.ts), with the same result.
 *
 * What depends on the whole file (a dossier code on several rows gets all of them rejected,
 * rows without a usable number join the one number of their name and address, who is a new
 * person) is decided after the pass, from the log (frame-replay.ts), as if known from the start.
 */
export async function scanFrame(
  input: ByteSource | FrameFile,
  options: FrameOptions,
  index?: DrawIndexSink,
  scratch: () => ScratchSpace = memoryScratch,
): Promise<FrameScan> {
  const logSpace = scratch();
  const reader = new FrameReader(options, logSpace);
  const positions = index !== undefined;
  const file = isFrameFile(input) ? input : null;
  const split = file === null ? null : await findSplit(file);
  const hash = createHash('sha256');

  let parts: ReadInParts | null = null;
  let rows = 0;
  let bytes = 0;
  const tell = (): void => options.onProgress?.({ pass: 1, rows: rows + (parts?.partRows ?? 0), bytes: bytes + (parts?.partBytes ?? 0) });
  if (file !== null && split !== null) {
    parts = new ReadInParts({ ...file, readPart: file.readPart! }, split, reader, { options, positions, logSpace: scratch(), hash, onPartProgress: tell });
  }
  const source = parts !== null ? parts.source() : file !== null ? file.read(0, file.size) : (input as ByteSource);
  const end = await readPass(source, reader, {
    positions,
    hash,
    onChunk: (rowsRead, bytesRead) => {
      rows = rowsRead;
      bytes = bytesRead;
      tell();
    },
  }).finally(() => parts?.settled());
  reader.log.flush();
  const merged = parts?.merged ?? null;
  const sha256 = merged !== null && end.fatal === undefined ? merged.sha256 : end.sha256;
  const bytesRead = merged !== null ? file!.size : end.bytesRead;
  // Both parts' tables were alive at once.
  const passBytes = reader.dedupBytes + (parts?.partDedupBytes ?? 0);
  // The replay needs only the repeated codes; the room of every code's fingerprint takes the persons'.
  const persons = reader.dossiers;
  persons.clear();

  const writer = index === undefined ? undefined : new DrawIndexWriter(index, options, reader.layout);
  // Pass 2: the file is read; repeated codes and links are being decided (ReadProgress).
  options.onProgress?.({ pass: 2, rows: reader.report.rowsRead, bytes: bytesRead });
  const logs: RowLogPart[] = [{ open: () => logSpace.read(), rowBase: 0 }, ...(merged !== null ? [merged.log] : [])];
  const replayBytes = await replayLog(logs, reader.findings(), persons, writer && ((row) => writer.add(row)), index?.ready && (() => index.ready!()));
  const report = reader.report;
  const dedupBytes = Math.max(passBytes, replayBytes);
  let scan: FrameScan =
    end.fatal !== undefined ? { ok: false, fatal: end.fatal, sha256, report, dedupBytes } : { ok: true, sha256, report, dedupBytes };
  if (scan.ok && options.strict && report.rowsRejected > 0) {
    scan = {
      ...scan,
      ok: false,
      fatal: `Chế độ nghiêm ngặt: ${report.rowsRejected} dòng bị từ chối nên không nhập dòng nào; hãy sửa tệp theo danh sách lỗi rồi nhập lại.`,
    };
  }
  writer?.finish(scan);
  return scan;
}
