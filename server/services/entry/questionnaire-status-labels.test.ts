import { describe, expect, it } from 'vitest';
import { questionnaireStatusLabel } from './questionnaire-status-labels';

describe('questionnaire status labels', () => {
  it('names every status differently, so a message never confuses two of them', () => {
    const labels = Object.values(questionnaireStatusLabel);
    expect(labels).toHaveLength(8);
    expect(new Set(labels).size).toBe(labels.length);
    for (const label of labels) expect(label.trim()).not.toBe('');
  });

  it('names the statuses a clerk sets at the counter as the entry page says them', () => {
    expect(questionnaireStatusLabel.undeliverable).toBe('không phát được');
    expect(questionnaireStatusLabel.refused).toBe('từ chối');
    expect(questionnaireStatusLabel['returned-paper']).toBe('đã nhận phiếu giấy');
  });
});
