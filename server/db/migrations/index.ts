import type { Migration } from 'kysely';
import * as initial from './2026-11-22T13-45-initial';
import * as previousIndexKind from './2026-11-22T13-55-previous-index-kind';
import * as oneCountedResponse from './2026-11-22T14-00-one-counted-response';
import * as paperKeyings from './2026-11-22T14-10-paper-keyings';
import * as drawEligibility from './2026-11-22T14-20-draw-eligibility';
import * as responseAnswersJson from './2026-11-22T14-40-response-answers-json';
import * as dropAnswersTable from './2026-11-22T16-00-drop-answers-table';
import * as drawCommitments from './2026-11-23T10-00-draw-commitments';
import * as userAccounts from './2026-12-01T06-00-user-accounts';
import * as statusBeforeNoForm from './2026-12-01T07-00-status-before-no-form';
import * as questionnaireEntryIndex from './2026-12-01T08-00-questionnaire-entry-index';
import * as unitBoundaries from './2026-12-01T09-00-unit-boundaries';
import * as attempts from './2026-12-01T10-00-attempts';
import * as storedFiles from './2026-12-01T11-00-stored-files';
import * as doublePrecision from './2026-12-01T11-30-double-precision';
import * as installationSecrets from './2026-12-01T11-31-installation-secrets';
import * as resultsVersions from './2026-12-01T12-00-results-versions';
import * as longTasks from './2026-12-02T01-00-long-tasks';
import * as drawIndexFile from './2026-12-02T01-10-draw-index-file';
import * as tallyResets from './2026-12-02T19-00-tally-resets';
import * as responseCountsIndex from './2026-12-02T19-10-response-counts-index';

/** Listed by hand (not read from the folder) so migrations run the same under tsx, vitest and a bundle. */
export const migrations: Record<string, Migration> = {
  '2026-11-22T13-45-initial': initial,
  '2026-11-22T13-55-previous-index-kind': previousIndexKind,
  '2026-11-22T14-00-one-counted-response': oneCountedResponse,
  '2026-11-22T14-10-paper-keyings': paperKeyings,
  '2026-11-22T14-20-draw-eligibility': drawEligibility,
  '2026-11-22T14-40-response-answers-json': responseAnswersJson,
  '2026-11-22T16-00-drop-answers-table': dropAnswersTable,
  '2026-11-23T10-00-draw-commitments': drawCommitments,
  '2026-12-01T06-00-user-accounts': userAccounts,
  '2026-12-01T07-00-status-before-no-form': statusBeforeNoForm,
  '2026-12-01T08-00-questionnaire-entry-index': questionnaireEntryIndex,
  '2026-12-01T09-00-unit-boundaries': unitBoundaries,
  '2026-12-01T10-00-attempts': attempts,
  '2026-12-01T11-00-stored-files': storedFiles,
  '2026-12-01T11-30-double-precision': doublePrecision,
  '2026-12-01T11-31-installation-secrets': installationSecrets,
  '2026-12-01T12-00-results-versions': resultsVersions,
  '2026-12-02T01-00-long-tasks': longTasks,
  '2026-12-02T01-10-draw-index-file': drawIndexFile,
  '2026-12-02T19-00-tally-resets': tallyResets,
  '2026-12-02T19-10-response-counts-index': responseCountsIndex,
};
