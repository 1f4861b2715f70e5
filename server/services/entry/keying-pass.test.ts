import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors';
import { nextPass, type EarlierKeying } from './keying-pass';

const code = '23-SNV-0042-7';
const open = (enteredBy: string): EarlierKeying => ({ enteredBy, endedAt: '2023-10-02T03:04:05.000Z', responseId: null });

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).status).toBe(409);
    return (error as UserError).message;
  }
  throw new Error('the keying was allowed');
}

describe('which pass a keying is', () => {
  it('single entry: one keying, no pass number', () => {
    expect(nextPass(false, code, [], 'buudien1')).toBeNull();
  });

  it('double entry: the first keying is pass 1, another clerk’s is pass 2', () => {
    expect(nextPass(true, code, [], 'buudien1')).toBe(1);
    expect(nextPass(true, code, [open('buudien1')], 'buudien2')).toBe(2);
  });

  it('double entry: the clerk who keyed pass 1 cannot key pass 2', () => {
    expect(refusal(() => nextPass(true, code, [open('buudien1')], 'buudien1'))).toBe(
      `Bạn đã nhập lần 1 phiếu ${code}; lần nhập thứ 2 (đối chiếu) phải do một người khác thực hiện`,
    );
  });

  it('a form with two open keyings waits for the supervisor, whichever the mode', () => {
    const both = [open('buudien1'), open('buudien2')];
    expect(refusal(() => nextPass(true, code, both, 'buudien3'))).toBe(`Phiếu ${code} đã được nhập đủ hai lần và đang chờ giám sát đối chiếu`);
    expect(refusal(() => nextPass(false, code, both, 'buudien3'))).toBe(`Phiếu ${code} đã được nhập hai lần và đang chờ giám sát đối chiếu`);
  });

  it('a form already recorded is never keyed again, saying when and by whom', () => {
    const recorded = [{ ...open('buudien1'), responseId: 7 }];
    for (const doubleEntry of [false, true]) {
      expect(refusal(() => nextPass(doubleEntry, code, recorded, 'buudien2'))).toMatch(
        new RegExp(`^Phiếu ${code} đã được nhập lúc \\d\\d:\\d\\d ngày \\d\\d/\\d\\d/2023 \\(người nhập buudien1\\): không nhập lại$`),
      );
    }
  });
});
