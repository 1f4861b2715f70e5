import { describe, expect, it } from 'vitest';
import { commitmentTooLate, dayInVietnam, describeSeedRule, isCalendarDate, seedFollowingRule, seedTooEarly } from './seed-rule';

const rule = { source: 'Xổ số kiến thiết An Giang, giải đặc biệt', date: '2023-08-24', digits: 6 };

describe('seed rule', () => {
  it('completes a typed number and accepts only seeds of the rule', () => {
    expect(seedFollowingRule(rule, ' 012345 ')).toBe('Xổ số kiến thiết An Giang, giải đặc biệt 24/08/2023 012345');
    expect(seedFollowingRule(rule, 'Xổ số kiến thiết An Giang, giải đặc biệt 24/08/2023 654321')).toBe('Xổ số kiến thiết An Giang, giải đặc biệt 24/08/2023 654321');
    expect(seedFollowingRule(rule, '12345')).toBeNull();
    expect(seedFollowingRule(rule, 'Xổ số kiến thiết An Giang, giải đặc biệt 25/08/2023 654321')).toBeNull();
    expect(seedFollowingRule(rule, 'hạt giống tôi thích')).toBeNull();
    expect(describeSeedRule(rule)).toContain('24/08/2023');
  });

  it('dates: the drawing after the commitment day, the seed not before the drawing day (Vietnam time)', () => {
    expect(dayInVietnam(new Date('2023-08-23T18:00:00Z'))).toBe('2023-08-24');
    expect(commitmentTooLate(rule, new Date('2023-08-23T10:00:00Z'))).toBeNull();
    expect(commitmentTooLate(rule, new Date('2023-08-23T18:00:00Z'))).toMatch(/phải sau ngày lập biên bản/);
    expect(seedTooEarly(rule, new Date('2023-08-23T10:00:00Z'))).toMatch(/Chưa đến ngày quay 24\/08\/2023/);
    expect(seedTooEarly(rule, new Date('2023-08-24T10:00:00Z'))).toBeNull();
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-02-29')).toBe(true);
  });
});
