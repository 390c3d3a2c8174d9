/**
 * ORM schemas written in TS/JS (Drizzle tables, TypeORM entities and migrations, Sequelize
 * models and migrations, Knex migrations): one parse, then each ORM's reader looks for its
 * shapes. A cheap text test first, so ordinary source files cost no parse.
 */
import { parseSource } from '../../embedded/source';
import type { Catalog, SchemaProblem, Table } from '../types';
import { mayDeclareDrizzle, readDrizzle } from './drizzle';
import { mayDeclareKnex, readKnex } from './knex';
import { mayDeclareSequelize, readSequelize } from './sequelize';
import { mayDeclareTypeorm, readTypeorm } from './typeorm';

/** True when a TS/JS file's text looks like it declares ORM tables (worth parsing). */
export function mayDeclareOrmSchema(text: string): boolean {
  return mayDeclareDrizzle(text) || mayDeclareKnex(text) || mayDeclareSequelize(text) || mayDeclareTypeorm(text);
}

/**
 * Tables declared by ORM code in one TS/JS file. Migrations change tables already in `catalog`
 * in place (they are returned too); declarations return new tables.
 */
export function readTsSchema(file: string, text: string, catalog: Catalog): { tables: Table[]; problems: SchemaProblem[] } {
  if (!mayDeclareOrmSchema(text)) return { tables: [], problems: [] };
  const sf = parseSource(file, text);
  const tables: Table[] = [];
  const problems: SchemaProblem[] = [];
  if (mayDeclareDrizzle(text)) {
    const r = readDrizzle(file, sf);
    tables.push(...r.tables);
    problems.push(...r.problems);
  }
  if (mayDeclareKnex(text)) {
    const r = readKnex(file, sf, catalog);
    tables.push(...r.tables);
    problems.push(...r.problems);
  }
  if (mayDeclareSequelize(text)) {
    const r = readSequelize(file, sf, catalog);
    tables.push(...r.tables);
    problems.push(...r.problems);
  }
  if (mayDeclareTypeorm(text)) {
    const r = readTypeorm(file, sf, catalog);
    tables.push(...r.tables);
    problems.push(...r.problems);
  }
  return { tables, problems };
}
