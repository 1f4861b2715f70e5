import { fold } from '../sampling/text.js';

/**
 * The units a person looks for by typing part of a name or code, as they type it: accents, case
 * and spacing ignored ("chau doc" finds "UBND Phường Châu Đốc", "30292" its commune). Null when
 * nothing was typed, so callers can tell "no search" from "nothing found".
 */
export function unitSearch(typed: string): ((unit: { code: string; name: string }) => boolean) | null {
  const wanted = fold(typed);
  if (wanted === '') return null;
  return (unit) => fold(unit.code).includes(wanted) || fold(unit.name).includes(wanted);
}
