import { fold } from '../../../sampling/text';

/**
 * What the administrator types before personal data is erased from the browser: the wave's
 * year in it, so a purge meant for one wave cannot be confirmed on another's page by habit.
 */
export function purgeConfirmationPhrase(year: number): string {
  return `XOA DU LIEU ${year}`;
}

/** Typed as shown, in any case, with or without Vietnamese accents ("xóa dữ liệu 2023"), spaces collapsed. */
export function confirmsPurge(year: number, typed: string): boolean {
  return fold(typed) === fold(purgeConfirmationPhrase(year));
}
