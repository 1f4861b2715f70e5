import { waveNavLinks, type WavePageKey } from './navigation';

/** Which wave's pages the header links to, and which of them is open (marked for screen readers too). */
export interface WaveNavTarget {
  year: number;
  current?: WavePageKey;
}

/** The wave's pages the signed-in role may open (survey-web/navigation.ts); nothing for a stranger. */
export function WaveNav({ year, current, role }: WaveNavTarget & { role: string | null | undefined }) {
  const links = waveNavLinks(year, role);
  if (links.length === 0) return null;
  return (
    <nav class="wave-nav" aria-label={`Các trang của đợt ${year}`}>
      <ul>
        {links.map((link) => (
          <li>
            <a href={link.href} aria-current={link.key === current ? 'page' : undefined}>
              {link.key === 'units' ? `Đợt ${year}` : link.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
