import { backupCommand, restoreCommand, userAddCommand, waveCloseCommand, wavePurgeCommand, waveSettingsCommand } from './admin-commands';
import { previousImportCommand, reportCommand } from './analysis-commands';
import { boundariesImportCommand } from './boundaries-commands';
import type { CliCommand } from './command';
import { migrateDataCommand } from './installation-commands';
import { mailingExportCommand } from './mailing-commands';
import { responsesImportCommand } from './responses-commands';
import { drawCommand, drawCommitCommand, drawExportCommand, drawPublishCommand, drawRecordCommand, drawVerifyCommand, frameImportCommand } from './sampling-commands';
import { migrateCommand, unitsImportCommand, waveCreateCommand } from './wave-commands';

/** Every command of `npm run sipas -- …`, by its words (SIPAS.md section 13). */
export const commands: Record<string, CliCommand> = {
  migrate: migrateCommand,
  'wave create': waveCreateCommand,
  'wave settings': waveSettingsCommand,
  'units import': unitsImportCommand,
  'mailing export': mailingExportCommand,
  'responses import': responsesImportCommand,
  'frame import': frameImportCommand,
  draw: drawCommand,
  'draw publish': drawPublishCommand,
  'draw export': drawExportCommand,
  'draw verify': drawVerifyCommand,
  'draw commit': drawCommitCommand,
  'draw record': drawRecordCommand,
  'previous import': previousImportCommand,
  'boundaries import': boundariesImportCommand,
  report: reportCommand,
  'wave close': waveCloseCommand,
  'wave purge-personal-data': wavePurgeCommand,
  'user add': userAddCommand,
  backup: backupCommand,
  restore: restoreCommand,
  'migrate-data': migrateDataCommand,
};
