import type { Db } from '../../server/db/connect';
import { fold } from '../../sampling';

export const CRITERIA = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];

/**
 * Gives every drawn person of the wave a name, phone, ID number, address and dossier code that
 * appear nowhere else (the published-wave fixture repeats one phone and shares words with unit
 * names), so a response body that contains one of them can only have taken it from `contacts`
 * or `sample_entries`. Returns those values, each also accent-folded (a page that prints a
 * folded name still shows it): the contacts' fields, and the dossier codes.
 */
export async function distinctPersonalData(db: Db): Promise<{ contacts: string[]; dossierCodes: string[] }> {
  const contacts = await db.selectFrom('contacts').select('sample_entry_id').orderBy('sample_entry_id').execute();
  const contactValues: string[] = [];
  const dossierCodes: string[] = [];
  for (const [i, contact] of contacts.entries()) {
    const n = String(i + 1).padStart(4, '0');
    const values = {
      applicant_name: `Quách Thị Xuyến Ngọc ${n}`,
      phone: `0987${n}31`,
      id_number: `0791${n}5527`,
      address: `Hẻm ${n} Lý Thái Tổ, khóm Bình Khánh Tây`,
    };
    const dossier = `HSX-${n}-QZ`;
    await db.updateTable('contacts').set(values).where('sample_entry_id', '=', contact.sample_entry_id).execute();
    await db.updateTable('sample_entries').set({ dossier_code: dossier }).where('id', '=', contact.sample_entry_id).execute();
    contactValues.push(...Object.values(values));
    dossierCodes.push(dossier);
  }
  const withFolded = (values: string[]) => [...new Set(values.flatMap((value) => [value, fold(value)]))];
  return { contacts: withFolded(contactValues), dossierCodes: withFolded(dossierCodes) };
}

/** A full QR answer set, as the citizen's form posts it. */
export function qrAnswers(seedValue = 0): URLSearchParams {
  const body = new URLSearchParams();
  CRITERIA.forEach((code, i) => body.set(code, String(((i + seedValue) % 5) + 1)));
  body.set('gender', 'nu');
  body.append('priorities', 'cong_khai');
  body.set('comment', 'Cán bộ tận tình');
  return body;
}

/** A keyed paper form as the entry page posts it: criteria 1–5 by digit, profile by option number. */
export function keyedAnswers(code: string, seedValue = 0): URLSearchParams {
  const body = new URLSearchParams({ code, opened_at: new Date(Date.UTC(2024, 0, 1)).toISOString(), corrections: '0' });
  CRITERIA.forEach((c, i) => body.set(c, String(((i + seedValue) % 5) + 1)));
  body.set('gender', '2');
  return body;
}
