import { PAGES, SITE_PAGES, type StaffPage } from '../../../survey-web/navigation';
import type { Executor, Role } from '../../db/schema';
import { countResponses } from '../../repositories/analysis-sources';
import { listWaves } from '../../repositories/waves';
import { ANALYSED_STATES } from '../results/response-pass';

const wavePage = (year: number, page: StaffPage) => `/waves/${year}${page.path}`;

/**
 * Where a person lands after signing in when they asked for no page in particular: where their
 * role's work is. A post-office clerk keys forms of the newest wave still collecting; an
 * analyst reads the results of the newest wave with answers (else the newest wave); a
 * supervisor checks the draw of the newest wave drawn; an administrator starts from the
 * administration page (waves, accounts, backups). Without such a wave, the list of waves.
 */
export async function landingPath(db: Executor, role: Role): Promise<string> {
  const waves = await listWaves(db); // newest first
  switch (role) {
    case 'clerk': {
      const collecting = waves.find((w) => w.status === 'collecting');
      return collecting ? wavePage(collecting.year, PAGES.entry) : '/';
    }
    case 'analyst': {
      for (const wave of waves) {
        if ((await countResponses(db, wave.year, [...ANALYSED_STATES])) > 0) return wavePage(wave.year, PAGES.analysis);
      }
      return waves.length > 0 ? wavePage(waves[0].year, PAGES.analysis) : '/';
    }
    case 'supervisor': {
      const drawn = waves.find((w) => w.status !== 'setup');
      return drawn ? wavePage(drawn.year, PAGES.draw) : '/';
    }
    case 'admin':
      return SITE_PAGES.admin.path;
  }
}
