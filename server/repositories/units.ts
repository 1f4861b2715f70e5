import { z } from 'zod';
import { jsonColumn } from '../db/json-column';
import type { Executor, UnitKind } from '../db/schema';

export interface Unit {
  code: string;
  name: string;
  kind: UnitKind;
  /** Last year's unit codes; null = not given (the unit of the same code last year). */
  predecessors: string[] | null;
}

/** The column itself is nullable: null (not given) never goes through the codec. */
const predecessorsColumn = jsonColumn('units.predecessors', z.array(z.string()));

export async function replaceUnits(db: Executor, waveYear: number, units: Unit[]): Promise<void> {
  await db.deleteFrom('units').where('wave_year', '=', waveYear).execute();
  if (units.length === 0) return;
  await db
    .insertInto('units')
    .values(
      units.map((u, i) => ({
        wave_year: waveYear,
        code: u.code,
        name: u.name,
        kind: u.kind,
        predecessors: u.predecessors === null ? null : predecessorsColumn.write(u.predecessors),
        sort_order: i,
      })),
    )
    .execute();
}

export async function listUnits(db: Executor, waveYear: number): Promise<Unit[]> {
  const rows = await db
    .selectFrom('units')
    .select(['code', 'name', 'kind', 'predecessors'])
    .where('wave_year', '=', waveYear)
    .orderBy('sort_order')
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, kind: r.kind, predecessors: r.predecessors === null ? null : predecessorsColumn.read(r.predecessors) }));
}

/** One unit's name, kind and lineage; its code and place in the list stay. */
export async function updateUnit(db: Executor, waveYear: number, unit: Unit): Promise<void> {
  await db
    .updateTable('units')
    .set({ name: unit.name, kind: unit.kind, predecessors: unit.predecessors === null ? null : predecessorsColumn.write(unit.predecessors) })
    .where('wave_year', '=', waveYear)
    .where('code', '=', unit.code)
    .execute();
}
