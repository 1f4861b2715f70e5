import type { AnswerDigits } from './sipas-index';

/**
 * What the journey's respondents answer, fixed in advance: 16 digits in criterion order
 * (A1…E3), `0` = blank / «Không ý kiến». Letters are named by their place in the unit's printed
 * pack (delivery order), which is how the test finds their codes and QR codes.
 */

/** Three citizens of SNV answer by QR on their phones, letters 1–3 of the SNV pack. */
export const QR_ANSWERS: AnswerDigits[] = ['5443215443215444', '4455405544305544', '3344334433443344'];

/** The third citizen opens the form twice and sends it again with other answers: kept for review, not counted. */
export const QR_SECOND_TRY: AnswerDigits = '1111111111111111';

export interface PaperForm {
  unit: 'SNV' | 'STP';
  /** 1-based place of the letter in the unit's pack. */
  letter: number;
  answers: AnswerDigits;
}

/** The ten paper forms the post office returns. SNV letter 6 answers 5 of 16 criteria (invalid); STP letter 5 exactly half (valid). */
export const PAPER_FORMS: PaperForm[] = [
  { unit: 'SNV', letter: 4, answers: '5555444455554444' },
  { unit: 'SNV', letter: 5, answers: '4444333322221111' },
  { unit: 'SNV', letter: 6, answers: '5040302010000000' },
  { unit: 'SNV', letter: 7, answers: '4545454545454545' },
  { unit: 'SNV', letter: 8, answers: '3453453453453453' },
  { unit: 'STP', letter: 1, answers: '5555555555555555' },
  { unit: 'STP', letter: 2, answers: '4444444444444444' },
  { unit: 'STP', letter: 3, answers: '2345234523452345' },
  { unit: 'STP', letter: 4, answers: '5431543154315431' },
  { unit: 'STP', letter: 5, answers: '4400440044004400' },
];

/** The second clerk misreads one tick of STP letter 3: B3 (6th criterion) keyed 1 instead of 4; the supervisor keeps lần 1. */
export const MISKEYED = { unit: 'STP', letter: 3, criterion: 'B3', answers: '2345214523452345' } as const;

/** STP letter 6 is marked undeliverable by mistake and the mark undone; STP letter 7 is refused (its reserve is released). */
export const UNDELIVERABLE_UNDONE = { unit: 'STP', letter: 6 } as const;
export const REFUSED = { unit: 'STP', letter: 7 } as const;
