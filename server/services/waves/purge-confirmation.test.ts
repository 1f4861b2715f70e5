import { describe, expect, it } from 'vitest';
import { confirmsPurge, purgeConfirmationPhrase } from './purge-confirmation';

describe('purge confirmation', () => {
  it('accepts the phrase as shown, in any case, with accents or extra spaces', () => {
    expect(purgeConfirmationPhrase(2023)).toBe('XOA DU LIEU 2023');
    for (const typed of ['XOA DU LIEU 2023', 'xoa du lieu 2023', 'Xóa dữ liệu 2023', '  XÓA  DỮ LIỆU 2023 ', 'Xóa dữ liệu 2023'.normalize('NFD')]) {
      expect(confirmsPurge(2023, typed), typed).toBe(true);
    }
  });

  it('refuses another year, a shortened phrase or nothing', () => {
    for (const typed of ['XOA DU LIEU 2024', 'XOA DU LIEU', 'XOA 2023', '', 'XOADULIEU2023']) expect(confirmsPurge(2023, typed), typed).toBe(false);
  });
});
