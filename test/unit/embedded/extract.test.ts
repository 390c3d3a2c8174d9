import { strict as assert } from 'assert';
import { embeddedSqlAt, extractSql, type EmbeddedSql } from '../../../src/core/embedded/extract';

/** Wraps a snippet in an async function so `await` is legal. */
function wrap(body: string): string {
  return `async function f(pool, client, conn, connection, db, knex, sequelize, manager, dataSource, queryRunner, prisma, sql, id, name, q) {\n${body}\n}\n`;
}

function only(src: string, dialect: 'postgresql' | 'mysql' = 'postgresql'): EmbeddedSql {
  const all = extractSql('file.ts', src, dialect);
  assert.equal(all.length, 1, `expected one statement, got ${JSON.stringify(all.map((e) => e.sql))}`);
  return all[0];
}

/** Every SQL char that is not a placeholder must map to the file char that spells it. */
function assertExactMap(src: string, e: EmbeddedSql): void {
  for (let i = 0; i < e.sql.length; i++) {
    if (e.params.some((p) => i >= p.sqlStart && i < p.sqlEnd)) {
      assert.equal(e.toFileOffset(i), undefined, `placeholder char ${i} must not map`);
      continue;
    }
    const at = e.toFileOffset(i);
    assert.ok(at !== undefined, `char ${i} (${e.sql[i]}) unmapped`);
    const ch = e.sql[i];
    if (src[at] !== ch) {
      // An escape sequence spells it: the map points at the backslash.
      assert.equal(src[at], '\\', `char ${i} ${JSON.stringify(ch)} maps to ${JSON.stringify(src[at])}`);
    }
  }
}

describe('embedded SQL extraction', () => {
  const cases: { name: string; code: string; sql: string; api: string; params?: string[]; dialect?: 'postgresql' | 'mysql' }[] = [
    { name: 'pg pool.query string', code: `await pool.query('SELECT id FROM users WHERE id = $1', [id]);`, sql: 'SELECT id FROM users WHERE id = $1', api: 'pool.query' },
    { name: 'pg client.query config object', code: `await client.query({ text: 'SELECT id FROM t WHERE a = $1', values: [1] });`, sql: 'SELECT id FROM t WHERE a = $1', api: 'client.query' },
    { name: 'pg template with hole', code: 'await pool.query(`SELECT * FROM orders WHERE user_id = ${id} AND total > 5`);', sql: 'SELECT * FROM orders WHERE user_id = $1 AND total > 5', api: 'pool.query', params: ['$1=id'] },
    { name: 'mysql2 execute with ? (MySQL keeps ?)', code: `await conn.execute('SELECT * FROM users WHERE id = ?', [id]);`, sql: 'SELECT * FROM users WHERE id = ?', api: 'conn.execute', dialect: 'mysql' },
    { name: 'mysql2 ? becomes $N for PostgreSQL', code: `await connection.query('SELECT * FROM users WHERE id = ? AND name = ?', [id, name]);`, sql: 'SELECT * FROM users WHERE id = $1 AND name = $2', api: 'connection.query', params: ['$1', '$2'] },
    { name: 'mysql2 ?? identifier', code: `await conn.query('SELECT * FROM ?? WHERE id = ?', ['users', id]);`, sql: 'SELECT * FROM __p1 WHERE id = $2', api: 'conn.query', params: ['__p1', '$2'] },
    { name: 'mysql template hole uses ?', code: 'await conn.query(`SELECT * FROM t WHERE a = ${id}`);', sql: 'SELECT * FROM t WHERE a = ?', api: 'conn.query', dialect: 'mysql', params: ['?=id'] },
    { name: 'better-sqlite3 prepare', code: `db.prepare('SELECT * FROM users WHERE email = ?').get(q);`, sql: 'SELECT * FROM users WHERE email = $1', api: 'db.prepare' },
    { name: 'sqlite3 db.all', code: `db.all('SELECT name FROM users WHERE id = 1', cb);`, sql: 'SELECT name FROM users WHERE id = 1', api: 'db.all' },
    { name: 'knex.raw', code: `await knex.raw('select * from users where id = ?', [id]);`, sql: 'select * from users where id = $1', api: 'knex.raw' },
    { name: 'sequelize.query', code: `await sequelize.query('SELECT * FROM users WHERE id = :id', { replacements: { id } });`, sql: 'SELECT * FROM users WHERE id = :id', api: 'sequelize.query' },
    { name: 'TypeORM manager.query', code: `await manager.query('SELECT * FROM orders WHERE status = $1', ['NEW']);`, sql: 'SELECT * FROM orders WHERE status = $1', api: 'manager.query' },
    { name: 'TypeORM dataSource.query', code: `await dataSource.query('DELETE FROM sessions WHERE expires_at < now()');`, sql: 'DELETE FROM sessions WHERE expires_at < now()', api: 'dataSource.query' },
    { name: 'TypeORM queryRunner.query', code: `await queryRunner.query('UPDATE users SET active = true WHERE id = $1', [id]);`, sql: 'UPDATE users SET active = true WHERE id = $1', api: 'queryRunner.query' },
    { name: 'Prisma $queryRaw tagged', code: 'await prisma.$queryRaw`SELECT * FROM users WHERE email = ${q}`;', sql: 'SELECT * FROM users WHERE email = $1', api: '$queryRaw', params: ['$1=q'] },
    { name: 'Prisma $executeRaw tagged', code: 'await prisma.$executeRaw`UPDATE users SET name = ${name} WHERE id = ${id}`;', sql: 'UPDATE users SET name = $1 WHERE id = $2', api: '$executeRaw', params: ['$1=name', '$2=id'] },
    { name: 'Prisma $queryRawUnsafe', code: `await prisma.$queryRawUnsafe('SELECT * FROM users WHERE id = $1', id);`, sql: 'SELECT * FROM users WHERE id = $1', api: 'prisma.$queryRawUnsafe' },
    { name: 'Prisma.sql tag', code: 'const s = Prisma.sql`SELECT id FROM orders WHERE total > ${q}`;', sql: 'SELECT id FROM orders WHERE total > $1', api: 'Prisma.sql', params: ['$1=q'] },
    { name: 'postgres.js sql tag', code: 'await sql`SELECT * FROM users WHERE id = ${id}`;', sql: 'SELECT * FROM users WHERE id = $1', api: 'sql', params: ['$1=id'] },
    { name: 'postgres.js identifier helper', code: 'await sql`SELECT * FROM ${sql(name)} WHERE id IN ${sql(q)}`;', sql: 'SELECT * FROM __p1 WHERE id IN ($2)', api: 'sql', params: ['__p1=sql(name)', '($2)=sql(q)'] },
    { name: 'postgres.js unsafe', code: `await sql.unsafe('SELECT * FROM users WHERE name = $1', [name]);`, sql: 'SELECT * FROM users WHERE name = $1', api: 'sql.unsafe' },
    { name: 'slonik sql.type tag', code: 'await pool.one(sql.type(User)`SELECT * FROM users WHERE id = ${id}`);', sql: 'SELECT * FROM users WHERE id = $1', api: 'sql.type', params: ['$1=id'] },
    { name: 'nested sql fragment spliced', code: 'await sql`SELECT * FROM users WHERE ${sql`id = ${id}`}`;', sql: 'SELECT * FROM users WHERE id = $1', api: 'sql', params: ['$1=id'] },
    { name: 'Drizzle sql tag statement', code: 'await db.execute(sql`SELECT count(*) FROM users WHERE id = ${id}`);', sql: 'SELECT count(*) FROM users WHERE id = $1', api: 'sql', params: ['$1=id'] },
    { name: 'JS concatenation with unknown part', code: `await pool.query("SELECT * FROM users WHERE name LIKE " + "'%" + name + "'");`, sql: "SELECT * FROM users WHERE name LIKE '%$1'", api: 'pool.query', params: ['$1=name'] },
    { name: 'SQL || concatenation stays in SQL', code: `await pool.query("SELECT id FROM users WHERE name LIKE '%' || $1 || '%'", [q]);`, sql: "SELECT id FROM users WHERE name LIKE '%' || $1 || '%'", api: 'pool.query' },
    { name: 'const string in scope', code: `const USERS = 'SELECT id FROM users';\nawait pool.query(USERS + ' WHERE id = $1', [id]);`, sql: 'SELECT id FROM users WHERE id = $1', api: 'pool.query' },
    { name: 'const interpolated in plain template', code: 'const COLS = \'id, email\';\nawait pool.query(`SELECT ${COLS} FROM users`);', sql: 'SELECT id, email FROM users', api: 'pool.query' },
    { name: 'escapes decoded', code: `await pool.query('SELECT id FROM users\\nWHERE name = \\'x\\'');`, sql: "SELECT id FROM users\nWHERE name = 'x'", api: 'pool.query' },
  ];
  for (const c of cases) {
    it(`extracts: ${c.name}`, () => {
      const src = wrap(c.code);
      const e = only(src, c.dialect);
      assert.equal(e.sql, c.sql);
      assert.equal(e.api, c.api);
      if (c.params) {
        assert.deepEqual(e.params.map((p) => (p.expression ? `${p.placeholder}=${p.expression}` : p.placeholder)), c.params);
      }
      assertExactMap(src, e);
      assert.ok(e.start < e.end && src.slice(e.start, e.end).length > 0);
    });
  }

  const ignored: { name: string; code: string }[] = [
    { name: 'SQL-looking string never passed to a query API', code: `const s = 'SELECT * FROM users'; console.log(s);` },
    { name: 'template built but not sent', code: 'const t = `SELECT * FROM ${name}`;' },
    { name: 'Apollo client.query', code: `await client.query({ query: GET_USERS, variables: { id } });` },
    { name: 'router.get with SQL-looking path', code: `router.get('select * from x', handler);` },
    { name: 'regex exec', code: `/select (\\w+)/.exec('SELECT id FROM users');` },
    { name: 'Drizzle fragment', code: 'const cond = sql`lower(${users.email}) = ${q}`;' },
    { name: 'knex.raw fragment', code: `knex('users').select(knex.raw('count(*) as n'));` },
    { name: 'query with unknown variable', code: `await pool.query(text, [id]);` },
    { name: 'prose passed to query', code: `await searchIndex.query('Select a user to continue');` },
    { name: 'let variable (may be reassigned)', code: `let s = 'SELECT 1';\ns = s + ' x';\nawait pool.query(s);` },
  ];
  for (const c of ignored) {
    it(`ignores: ${c.name}`, () => {
      assert.deepEqual(extractSql('file.ts', wrap(c.code)).map((e) => e.sql), []);
    });
  }

  it('maps a range across a hole to the whole `${…}`', () => {
    const src = wrap('await pool.query(`SELECT * FROM t WHERE name LIKE \'%\' || ${q}`);');
    const e = only(src);
    const s = e.sql.indexOf("'%'");
    const r = e.toFileRange(s, e.sql.length)!;
    assert.equal(src.slice(r.start, r.end), "'%' || ${q}");
  });

  it('maps edits exactly and refuses those touching a placeholder', () => {
    const src = wrap('await pool.query(`SELECT * FROM t WHERE a = ${id}`);');
    const e = only(src);
    const star = e.sql.indexOf('*');
    const edit = e.mapEdit(star, star + 1, 'a, b')!;
    assert.equal(src.slice(edit.start, edit.end), '*');
    const hole = e.sql.indexOf('$1');
    assert.equal(e.mapEdit(hole - 2, hole + 2, 'x'), undefined);
  });

  it('escapes edit text for the literal it lands in', () => {
    const src = wrap(`await pool.query('SELECT * FROM t');`);
    const e = only(src);
    const star = e.sql.indexOf('*');
    assert.equal(e.mapEdit(star, star + 1, "a, 'b'")!.newText, "a, \\'b\\'");
    const tpl = only(wrap('await pool.query(`SELECT * FROM t`);'));
    assert.equal(tpl.mapEdit(tpl.sql.indexOf('*'), tpl.sql.indexOf('*') + 1, '`x`')!.newText, '\\`x\\`');
  });

  it('refuses edits spanning two concatenated literals', () => {
    const src = wrap(`await pool.query('SELECT * FROM t ' + 'WHERE a = 1');`);
    const e = only(src);
    const s = e.sql.indexOf('t ');
    assert.equal(e.mapEdit(s, s + 4, 'x'), undefined);
  });

  it('finds the statement under the cursor', () => {
    const src = wrap(`await pool.query('SELECT 1 FROM a');\nawait pool.query('SELECT 2 FROM b');`);
    const at = src.indexOf('SELECT 2');
    assert.equal(embeddedSqlAt('f.ts', src, at)?.sql, 'SELECT 2 FROM b');
    assert.equal(embeddedSqlAt('f.ts', src, 0), undefined);
  });

  it('survives syntax errors, binary and deeply nested input', () => {
    // TypeScript recovers a missing operand; it becomes a parameter.
    assert.deepEqual(extractSql('a.ts', 'await pool.query("SELECT 1 FROM t WHERE a = " +').map((e) => e.sql), ['SELECT 1 FROM t WHERE a = $1']);
    assert.equal(extractSql('a.ts', "pool.query('SELECT 1 FROM t'); function (( {").length, 1);
    assert.deepEqual(extractSql('a.ts', 'abc\u0000def'), []);
    const deep = 'x = ' + '('.repeat(20000) + '1' + ')'.repeat(20000) + ';';
    assert.ok(Array.isArray(extractSql('deep.ts', deep)));
  });

  it('handles .js/.jsx/.tsx files', () => {
    const jsx = `const A = () => <div onClick={async () => { await pool.query('SELECT id FROM users'); }} />;`;
    assert.equal(extractSql('a.jsx', jsx).length, 1);
    assert.equal(extractSql('a.tsx', jsx).length, 1);
    assert.equal(extractSql('a.mjs', `await pool.query('SELECT id FROM users');`).length, 1);
  });
});
