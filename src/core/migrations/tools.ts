/**
 * TS/JS migrations: which tool a migration file is written for, and whether that tool runs it
 * inside a transaction. Knex wraps each migration in a transaction unless the file exports
 * `config = { transaction: false }`; TypeORM wraps migrations (`migrationsTransactionMode`
 * 'all' by default) unless the class sets `transaction = false` (honoured in 'each' mode);
 * Sequelize's CLI (umzug) runs migrations without one. Read from the TypeScript syntax tree.
 */
import ts = require('typescript');
import { parseSource } from '../embedded/source';
import type { MigrationTool } from './layout';

export interface SourceMigration {
  tool: Extract<MigrationTool, 'knex' | 'typeorm' | 'sequelize'>;
  /** True when the tool runs this migration inside a transaction. */
  transactional: boolean;
  /** Tables the schema builder creates (`knex.schema.createTable('orders', …)`), with the call's range. */
  createdTables: { table: string; start: number; end: number }[];
}


/** Recognises a Knex, TypeORM or Sequelize migration; undefined for any other source. */
export function sourceMigration(fileName: string, text: string): SourceMigration | undefined {
  const sf = parseSource(fileName, text);
  let tool: SourceMigration['tool'] | undefined;
  let optedOut = false;
  const createdTables: SourceMigration['createdTables'] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(createTable|createTableIfNotExists|createTableLike)$/.test(node.expression.name.text)) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) createdTables.push({ table: arg.text.split('.').pop()!, start: node.getStart(sf), end: node.end });
    }
    if (ts.isClassDeclaration(node) && implementsMigrationInterface(node)) {
      tool = 'typeorm';
      for (const m of node.members) {
        if (ts.isPropertyDeclaration(m) && nameOf(m.name) === 'transaction' && m.initializer?.kind === ts.SyntaxKind.FalseKeyword) optedOut = true;
      }
    }
    const up = upFunction(node);
    if (up && !tool) tool = up === 'queryInterface' ? 'sequelize' : 'knex';
    if (exportsTransactionFalse(node)) optedOut = true;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (!tool) return undefined;
  return { tool, transactional: tool !== 'sequelize' && !optedOut, createdTables };
}

function nameOf(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
}

function implementsMigrationInterface(c: ts.ClassDeclaration): boolean {
  return !!c.heritageClauses?.some((h) => h.types.some((t) => /MigrationInterface$/.test(t.expression.getText())));
}

/** For `exports.up = (knex) =>`, `export async function up(queryInterface)`…: the first parameter's name. */
function upFunction(node: ts.Node): string | undefined {
  let fn: ts.Node | undefined;
  if (ts.isFunctionDeclaration(node) && node.name?.text === 'up') fn = node;
  else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.name.text === 'up') fn = node.right;
  else if (ts.isVariableDeclaration(node) && nameOf(node.name) === 'up') fn = node.initializer;
  else if ((ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node)) && nameOf(node.name) === 'up' && !ts.isClassLike(node.parent)) {
    fn = ts.isPropertyAssignment(node) ? node.initializer : node;
  }
  if (!fn || !(ts.isFunctionLike(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  const first = (fn as ts.SignatureDeclaration).parameters[0];
  return first ? nameOf(first.name) ?? '?' : '?';
}

/** `exports.config = { transaction: false }` or `export const config = { transaction: false }`. */
function exportsTransactionFalse(node: ts.Node): boolean {
  let value: ts.Expression | undefined;
  if (ts.isBinaryExpression(node) && ts.isPropertyAccessExpression(node.left) && node.left.name.text === 'config') value = node.right;
  else if (ts.isVariableDeclaration(node) && nameOf(node.name) === 'config') value = node.initializer;
  if (!value || !ts.isObjectLiteralExpression(value)) return false;
  return value.properties.some((p) => ts.isPropertyAssignment(p) && nameOf(p.name) === 'transaction' && p.initializer.kind === ts.SyntaxKind.FalseKeyword);
}
