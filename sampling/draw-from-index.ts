/*
 * The draw (method in draw.ts) from a draw index (draw-index.ts), so without reading the frame
 * again: the import wrote the index, and drawSample (draw-sample.ts), which re-checks a draw
 * from the frame file, writes one itself first. The index's records come in the frame's row
 * order: one rank HMAC per person, bounded heaps per unit. The dossier HMACs are taken only for
 * the people kept at the end, and only the rows of the dossiers chosen are read from the frame
 * file, by byte range.
 */
import Papa from 'papaparse';
import { checkDrawRequest, describe, drawResult, UnitSelection, type DrawRequest, type Ranked } from './draw';
import { DRAW_INDEX_FORMAT, KIND_NEW_PERSON, readDrawIndex, type DrawIndexHeader } from './draw-index';
import { RecordBatch, type DossierRow } from './record-batch';
import { recordFields, type RecordLayout } from './frame-reader';
import { HmacSha256, compareDigests, rankMessages } from './sha256';
import type { ByteSource, DrawOptions, DrawResult, DrawnEntry, FrameOptions } from './types';

/** Bytes of the frame file: from `offset`, up to `length` (fewer at the end of the file). */
export interface ByteRange {
  offset: number;
  length: number;
}

/** Reads byte ranges of the frame file, answering in the same order. */
export type ReadRanges = (ranges: ByteRange[]) => Promise<Uint8Array[]>;

/** What decides who is eligible, defaults filled in, in a fixed key order. */
function eligibilityOf(options: FrameOptions, frameRules: number): string {
  return JSON.stringify({
    units: options.units.map((u) => [u.code, u.name]),
    period: options.period ? [options.period.from, options.period.to] : null,
    requirePostalAddress: options.requirePostalAddress ?? true,
    excludeOrganisations: options.excludeOrganisations ?? false,
    frameRules,
  });
}

/**
 * Whether an index (its header, readDrawIndexHeader) gives exactly what drawSample would give
 * under `options`: its format is this code's, it was made under the same units and eligibility
 * rules, and with the frame rules of the draw's method version. Otherwise the draw must read
 * the frame file.
 */
export function drawIndexServes(header: DrawIndexHeader, options: DrawOptions): boolean {
  if (header.format !== DRAW_INDEX_FORMAT) return false;
  const { frameRules } = checkDrawRequest(options);
  return eligibilityOf(header.options, header.options.frameRules ?? 2) === eligibilityOf(options, frameRules);
}

interface Kept extends Ranked {
  unitCode: string;
  rows: DossierRow[];
}

/** How often the draw tells how far it has read (DrawOptions.onProgress): cheap, a few times a second. */
const PROGRESS_EVERY_RECORDS = 65_536;

const MISMATCH = 'Tệp khung mẫu không khớp với chỉ mục bốc mẫu đã lưu khi nhập (dòng được bốc không đọc lại được); hãy nhập lại khung mẫu.';

/**
 * Ranks a batch of persons: for message i, bytes [starts[i], ends[i]) of `data`, the rank HMAC
 * (HMAC-SHA-256 under `seed`) as eight words at [8i, 8i + 8), exactly as rankMessages
 * (sha256.ts) gives them. The default is rankMessages on this thread; a caller with spare cores
 * passes one that runs batches on other threads (the server's draw does): the rank HMACs are
 * most of a draw's work, and the batches are applied in the index's order whoever ranked them,
 * so the draw is the same.
 */
export type BatchRanker = (seed: string, data: Uint8Array, starts: Uint32Array, ends: Uint32Array, count: number) => Promise<Int32Array> | Int32Array;

/** Batches ranked ahead of the one being applied (about 1 MiB of index each): enough that the event loop keeps reading and ranking while other threads work, few enough to hold little. */
const BATCHES_AHEAD = 8;

/**
 * The draw from the index scanFrame wrote (a stream or the whole index in memory);
 * `readRanges` reads the frame file the index was made from. The frame's options
 * (units, period, rules) are the ones recorded in the index; a method version whose frame rules
 * differ from the index's is refused (re-check it with drawSample). `rank` computes the rank
 * HMACs by batches (BatchRanker; by default on this thread).
 */
export async function drawFromIndex(
  index: ByteSource | Uint8Array,
  readRanges: ReadRanges,
  request: DrawRequest,
  rank: BatchRanker = rankMessages,
): Promise<DrawResult> {
  const { codeVersion, frameRules, capacity } = checkDrawRequest(request);
  const hmac = new HmacSha256(request.seed);
  let header: DrawIndexHeader | null = null;
  let selections: UnitSelection<Kept>[] = [];
  let unitCodes: string[] = [];
  let records = 0;
  let batch = new RecordBatch();
  const ahead: { batch: RecordBatch; ranks: Promise<Int32Array> }[] = [];
  const spare: RecordBatch[] = [];

  /** Each record in the index's order: one rank per person, the same bounded heaps. */
  const apply = (done: RecordBatch, ranks: Int32Array) => {
    const rank = new Int32Array(8);
    let person = 0;
    for (let i = 0; i < done.count; i++) {
      const selection = selections[done.unit[i]];
      if (done.kind[i] === KIND_NEW_PERSON) {
        for (let w = 0, o = person++ * 8; w < 8; w++) rank[w] = ranks[o + w];
        if (!selection.admits(rank)) continue;
        selection.add({ rank: rank.slice(), personId: done.personId[i], unitCode: unitCodes[done.unit[i]], rows: [done.dossierRow(i)] });
        continue;
      }
      selection.member(done.personId[i])?.rows.push(done.dossierRow(i));
    }
  };
  const settleOldest = async () => {
    const { batch: done, ranks } = ahead.shift()!;
    apply(done, await ranks);
    spare.push(done.reset());
  };

  const trailer = await readDrawIndex(
    index,
    (found) => {
      if (found.options.frameRules !== frameRules) {
        throw new RangeError(
          `Chỉ mục bốc mẫu được lập theo quy tắc đọc khung mẫu ${found.options.frameRules}, còn phiên bản ${codeVersion} cần quy tắc ${frameRules}; hãy bốc (kiểm tra) trực tiếp từ tệp khung mẫu.`,
        );
      }
      header = found;
      unitCodes = found.options.units.map((u) => u.code);
      selections = found.options.units.map(() => new UnitSelection<Kept>(capacity));
      // The draw's checks have passed and reading begins (a page following the draw waits for this).
      request.onProgress?.({ pass: 1, rows: 0, bytes: 0 });
    },
    (record) => {
      // Rows here are the index's records, the frame's eligible rows.
      if (++records % PROGRESS_EVERY_RECORDS === 0) request.onProgress?.({ pass: 1, rows: records, bytes: 0 });
      batch.push(record);
    },
    async () => {
      if (batch.count === 0) return;
      const full = batch.seal();
      batch = spare.pop() ?? new RecordBatch();
      const ranks = Promise.resolve(rank(request.seed, full.data, full.messageStart, full.messageEnd, full.persons));
      // Awaited in order below; a failure is reported there, not as an unhandled rejection meanwhile.
      ranks.catch(() => undefined);
      ahead.push({ batch: full, ranks });
      while (ahead.length > BATCHES_AHEAD) await settleOldest();
    },
  );
  while (ahead.length > 0) await settleOldest();
  const options = header!.options;
  return drawResult(
    trailer.scan,
    request,
    codeVersion,
    options.units,
    (unitIndex) => selections[unitIndex].ordered(),
    (chosen) => (chosen.length === 0 ? [] : readDrawnRows(chosen, hmac, trailer.layout!, readRanges)),
  );
}

/** The dossier with the smallest HMAC(S, 'dossier' U+0000 code); on a tie, the first row. */
function chosenDossier(kept: Kept, hmac: HmacSha256): DossierRow {
  if (kept.rows.length === 1) return kept.rows[0];
  let best = kept.rows[0];
  const bestRank = new Int32Array(8);
  const rank = new Int32Array(8);
  hmac.start().add('dossier\u0000').addBytes(best.code).finishInto(bestRank);
  for (let i = 1; i < kept.rows.length; i++) {
    hmac.start().add('dossier\u0000').addBytes(kept.rows[i].code).finishInto(rank);
    if (compareDigests(rank, bestRank) < 0) {
      best = kept.rows[i];
      bestRank.set(rank);
    }
  }
  return best;
}

/** Reads the chosen rows alone from the frame file and describes them as the stream does. */
async function readDrawnRows(chosen: Kept[], hmac: HmacSha256, layout: RecordLayout, readRanges: ReadRanges): Promise<DrawnEntry[]> {
  const rows = chosen.map((kept) => chosenDossier(kept, hmac));
  // At most 3 bytes per UTF-16 unit in UTF-8, exactly 2 in UTF-16, from the anchor on.
  const perChar = layout.encoding === 'utf-8' ? 3 : 2;
  const bytes = await readRanges(rows.map((r) => ({ offset: r.at, length: (r.skip + r.chars) * perChar })));
  const decoder = new TextDecoder(layout.encoding, { ignoreBOM: true });
  return rows.map((row, i) => {
    const text = decoder.decode(bytes[i]).slice(row.skip, row.skip + row.chars);
    const parser = new Papa.Parser({ delimiter: layout.delimiter, newline: layout.newline, quoteChar: '"' });
    const cells = (parser.parse(text, 0, false).data as string[][])[0];
    const fields = recordFields(cells ?? [], layout.columns);
    if (text.length !== row.chars || fields.dossierCode !== new TextDecoder().decode(row.code)) throw new RangeError(MISMATCH);
    return describe(chosen[i].unitCode, fields);
  });
}
