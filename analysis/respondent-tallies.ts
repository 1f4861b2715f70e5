/**
 * Tallies of valid respondents filled during the one pass over the responses (collectSamples'
 * onValid): the respondent profile per kind and the index per response channel.
 */
import type { Questionnaire } from './questionnaire.js';
import { addRespondent, emptyCounts, type Counts, type IndexCalculator, type Scoring } from './scoring.js';
import {
  RESPONSE_CHANNELS,
  type ChannelResult,
  type ProfileCount,
  type ProfileTable,
  type ResponseChannel,
  type ResponseRecord,
  type UnitKind,
  type UnitResult,
} from './types.js';

/**
 * Respondent profile over valid responses only, so that the profile describes the people
 * whose answers make the index.
 */
export class ProfileTally {
  private readonly items: { code: string; label: string; multi: boolean; options: { code: string; label: string }[] }[];
  private readonly counts = new Map<string, Map<string | null, Map<UnitKind, number>>>();
  private readonly base = new Map<UnitKind, number>();

  constructor(q: Questionnaire) {
    this.items = q.profile.map((p) => ({ code: p.code, label: p.label, multi: p.kind === 'multi', options: p.options }));
    for (const item of this.items) this.counts.set(item.code, new Map());
  }

  add(r: ResponseRecord, kind: UnitKind): void {
    this.base.set(kind, (this.base.get(kind) ?? 0) + 1);
    for (const item of this.items) {
      const raw = r.profile[item.code];
      const byOption = this.counts.get(item.code)!;
      // A single choice (nearly every answer) is counted without building a list: a country's
      // wave passes a million respondents through here.
      if (!Array.isArray(raw)) {
        this.count(byOption, raw === undefined || raw === '' ? null : raw, kind);
        continue;
      }
      const distinct = [...new Set(raw.filter((c) => c !== ''))];
      for (const option of distinct.length > 0 ? distinct : [null]) this.count(byOption, option, kind);
    }
  }

  private count(byOption: Map<string | null, Map<UnitKind, number>>, option: string | null, kind: UnitKind): void {
    let byKind = byOption.get(option);
    if (!byKind) byOption.set(option, (byKind = new Map()));
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }

  tables(kinds: UnitKind[]): ProfileTable[] {
    const count = (byKind: Map<UnitKind, number> | undefined): ProfileCount => ({
      overall: kinds.reduce((s, k) => s + (byKind?.get(k) ?? 0), 0),
      byKind: Object.fromEntries(kinds.map((k) => [k, byKind?.get(k) ?? 0])),
    });
    return this.items.map((item) => {
      const byOption = this.counts.get(item.code)!;
      const known = new Set(item.options.map((o) => o.code));
      // Codes not in the questionnaire are shown as they are rather than silently dropped.
      const unknown = [...byOption.keys()].filter((k): k is string => k !== null && !known.has(k)).sort();
      return {
        item: item.code,
        label: item.label,
        multi: item.multi,
        base: count(this.base),
        rows: [
          ...item.options.map((o) => ({ option: o.code, label: o.label, ...count(byOption.get(o.code)) })),
          ...unknown.map((code) => ({ option: code, label: code, ...count(byOption.get(code)) })),
          { option: null, label: 'Không trả lời', ...count(byOption.get(null)) },
        ],
      };
    });
  }
}

type ChannelCounts = Record<ResponseChannel, { counts: Counts; n: number }>;

/** Satisfied and answered counts per unit and response channel, for the index by channel. */
export class ChannelTally {
  private readonly byUnit = new Map<string, ChannelCounts>();

  constructor(private readonly scoring: Scoring) {}

  /** `codes`: the respondent's encoded answers (collectSamples). */
  add(r: ResponseRecord, unitCode: string, codes: Uint8Array): void {
    let byChannel = this.byUnit.get(unitCode);
    if (!byChannel) {
      byChannel = Object.fromEntries(
        RESPONSE_CHANNELS.map((ch) => [ch, { counts: emptyCounts(this.scoring.criteria.length), n: 0 }]),
      ) as ChannelCounts;
      this.byUnit.set(unitCode, byChannel);
    }
    const slot = byChannel[r.channel];
    if (slot) {
      addRespondent(slot.counts, codes, 0);
      slot.n++;
    }
  }

  results(units: UnitResult[], calc: IndexCalculator): ChannelResult[] {
    return units.map((u) => {
      const byChannel = this.byUnit.get(u.code);
      return {
        unitCode: u.code,
        unitName: u.name,
        kind: u.kind,
        channels: Object.fromEntries(
          RESPONSE_CHANNELS.map((ch) => [
            ch,
            byChannel
              ? { respondents: byChannel[ch].n, index: calc.unitIndex(byChannel[ch].counts) }
              : { respondents: 0, index: null },
          ]),
        ) as ChannelResult['channels'],
      };
    });
  }
}
