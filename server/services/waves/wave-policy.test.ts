import { describe, expect, it } from 'vitest';
import type { WaveStatus } from '../../db/schema';
import { UserError } from '../../errors';
import { assertAllowed, refusal, type WaveAction } from './wave-policy';

const wave = (status: WaveStatus) => ({ year: 2023, status });

describe('wave policy', () => {
  it('allows setting up units and eligibility only before the draw', () => {
    for (const action of ['edit-units', 'change-eligibility'] as WaveAction[]) {
      expect(refusal(wave('setup'), action)).toBeNull();
      expect(refusal(wave('drawn'), action)).toMatch(/^Đợt 2023 đã bốc mẫu: không /);
      expect(refusal(wave('collecting'), action)).toMatch(/^Đợt 2023 đã bốc mẫu: không /);
      expect(refusal(wave('closed'), action)).toMatch(/^Đợt 2023 đã khóa: không /);
    }
  });

  it('refuses every change to a closed wave, and purging personal data before it is closed', () => {
    const open: WaveAction[] = ['import-frame', 'draw', 'publish-draw', 'record-response', 'change-rules', 'import-previous', 'close'];
    for (const action of open) {
      for (const status of ['setup', 'drawn', 'collecting'] as WaveStatus[]) expect(refusal(wave(status), action)).toBeNull();
      expect(refusal(wave('closed'), action)).not.toBeNull();
    }
    expect(refusal(wave('closed'), 'record-response')).toBe('Đợt khảo sát 2023 đã kết thúc, không nhận thêm phiếu trả lời');
    expect(refusal(wave('closed'), 'close')).toBe('Đợt 2023 đã khóa từ trước');
    expect(refusal(wave('closed'), 'purge-personal-data')).toBeNull();
    expect(refusal(wave('collecting'), 'purge-personal-data')).toContain('chưa khóa');
  });

  it('allows letters and the post-office list in any state until personal data is purged', () => {
    for (const status of ['setup', 'drawn', 'collecting', 'closed'] as WaveStatus[]) {
      expect(refusal({ ...wave(status), personalDataPurgedAt: null }, 'send-mailing')).toBeNull();
    }
    expect(refusal({ ...wave('closed'), personalDataPurgedAt: '2024-03-01T00:00:00.000Z' }, 'send-mailing')).toBe(
      'Dữ liệu cá nhân của đợt 2023 đã được xóa: không thể in thư hay xuất danh sách gửi',
    );
  });

  it('gives each action its own message', () => {
    const actions: WaveAction[] = ['edit-units', 'change-eligibility', 'import-frame', 'draw', 'publish-draw', 'change-rules', 'import-previous'];
    const messages = actions.map((a) => refusal(wave('closed'), a));
    expect(new Set(messages).size).toBe(actions.length);
  });

  it('throws the refusal as a 409 user error', () => {
    expect(() => assertAllowed(wave('closed'), 'draw')).toThrowError(UserError);
    try {
      assertAllowed(wave('closed'), 'draw');
    } catch (error) {
      expect((error as UserError).status).toBe(409);
    }
  });
});
