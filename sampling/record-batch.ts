/**
 * The records of one chunk of a draw index, held by drawFromIndex (draw-from-index.ts) until
 * their rank HMACs are known, so that ranking can run elsewhere while reading goes on.
 */
import { KIND_NEW_PERSON, type IndexRecord } from './draw-index';

/** A dossier of a kept person: its code and where its row lies. */
export interface DossierRow {
  code: Uint8Array;
  at: number;
  skip: number;
  chars: number;
}

/**
 * One chunk's records, kept until their ranks are known (the chunk's bytes copied: the stream
 * may reuse them). Batches are reused once applied, so a draw allocates a few, not one per chunk.
 */
export class RecordBatch {
  data: Uint8Array = new Uint8Array(0);
  private owned: Uint8Array = new Uint8Array(0);
  count = 0;
  persons = 0;
  kind = new Uint8Array(4096);
  unit = new Int32Array(4096);
  personId = new Float64Array(4096);
  dossierStart = new Uint32Array(4096);
  dossierEnd = new Uint32Array(4096);
  at = new Float64Array(4096);
  skip = new Uint32Array(4096);
  chars = new Uint32Array(4096);
  messageStart = new Uint32Array(4096);
  messageEnd = new Uint32Array(4096);

  push(record: IndexRecord): void {
    const i = this.count++;
    if (i === this.kind.length) this.grow();
    this.data = record.data;
    this.kind[i] = record.kind;
    this.unit[i] = record.unit;
    this.personId[i] = record.personId;
    this.dossierStart[i] = record.dossierStart;
    this.dossierEnd[i] = record.dossierEnd;
    this.at[i] = record.at;
    this.skip[i] = record.skip;
    this.chars[i] = record.chars;
    if (record.kind === KIND_NEW_PERSON) {
      this.messageStart[this.persons] = record.messageStart;
      this.messageEnd[this.persons++] = record.messageEnd;
    }
  }

  /** Its own copy of the chunk, once the chunk's records are all in. */
  seal(): this {
    const length = this.data.length;
    // Shared memory: a ranker on another thread reads the batch without a copy of it.
    if (this.owned.length < length) this.owned = new Uint8Array(new SharedArrayBuffer(length + (length >> 2)));
    this.owned.set(this.data);
    this.data = this.owned.subarray(0, length);
    return this;
  }

  /** Empty, for the next chunk. */
  reset(): this {
    this.count = 0;
    this.persons = 0;
    return this;
  }

  dossierRow(i: number): DossierRow {
    // A copy, not a view that would keep the batch's whole chunk alive.
    return { code: this.data.slice(this.dossierStart[i], this.dossierEnd[i]), at: this.at[i], skip: this.skip[i], chars: this.chars[i] };
  }

  private grow(): void {
    const grow = <T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.kind = grow(this.kind);
    this.unit = grow(this.unit);
    this.personId = grow(this.personId);
    this.dossierStart = grow(this.dossierStart);
    this.dossierEnd = grow(this.dossierEnd);
    this.at = grow(this.at);
    this.skip = grow(this.skip);
    this.chars = grow(this.chars);
    this.messageStart = grow(this.messageStart);
    this.messageEnd = grow(this.messageEnd);
  }
}
