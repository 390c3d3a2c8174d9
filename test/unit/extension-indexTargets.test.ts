/** Where "Add suggested index…" offers to put the DDL (src/extension/indexTargets.ts). */
import { strict as assert } from 'assert';
import { buildCatalog } from '../../src/core/schema/catalog';
import { ddlInsertion, indexNameOf, indexTargets, newMigrationPath } from '../../src/extension/indexTargets';

const DDL = 'CREATE INDEX events_user_id_kind_idx ON events (user_id, kind);';

describe('suggested index targets', () => {
  it('reads the index name from CREATE INDEX variants', () => {
    assert.equal(indexNameOf(DDL), 'events_user_id_kind_idx');
    assert.equal(indexNameOf('create unique index concurrently if not exists "Ix" on t (a)'), 'Ix');
    assert.equal(indexNameOf('CREATE INDEX ON t (a)'), undefined);
  });

  it('numbers a new migration after the highest existing one, keeping width and separator', () => {
    assert.equal(newMigrationPath(['db/001_users.sql', 'db/010_events.sql', 'db/002_x.sql'], DDL), 'db/011_add_events_user_id_kind_idx.sql');
    assert.equal(newMigrationPath(['m/1-init.sql', 'm/2-more.sql'], DDL), 'm/3-add_events_user_id_kind_idx.sql');
    assert.equal(
      newMigrationPath(['migrations/20240101120000_init.sql'], DDL),
      'migrations/20240101120001_add_events_user_id_kind_idx.sql',
    );
  });

  it('follows Prisma-style migration folders', () => {
    assert.equal(
      newMigrationPath(['prisma/migrations/20240101120000_init/migration.sql'], DDL),
      'prisma/migrations/20240101120001_add_events_user_id_kind_idx/migration.sql',
    );
  });

  it('falls back to a file next to the schema, or at the root', () => {
    assert.equal(newMigrationPath(['db/schema.sql'], DDL), 'db/add_events_user_id_kind_idx.sql');
    assert.equal(newMigrationPath([], DDL), 'add_events_user_id_kind_idx.sql');
  });

  it('offers a new migration, then the file declaring the table, then other DDL files newest first (no query files)', () => {
    const sources = [
      { file: 'db/001_users.sql', text: 'CREATE TABLE users (id int PRIMARY KEY);' },
      { file: 'db/002_events.sql', text: 'CREATE TABLE events (id int PRIMARY KEY, user_id int, kind text);' },
      { file: 'db/003_more.sql', text: 'ALTER TABLE users ADD COLUMN name text;' },
      { file: 'queries/report.sql', text: 'SELECT id FROM events WHERE kind = $1;' },
    ];
    const targets = indexTargets(sources, buildCatalog(sources), 'events', DDL);
    assert.deepEqual(
      targets.map((t) => `${t.kind} ${t.file} (${t.detail})`),
      [
        'new db/004_add_events_user_id_kind_idx.sql (new migration file)',
        'existing db/002_events.sql (declares table events)',
        'existing db/003_more.sql (latest schema file)',
        'existing db/001_users.sql (schema file)',
      ],
    );
  });

  it('numbers the new migration after the schema files, not after numbered query files', () => {
    const sources = [
      { file: 'examples/shop/queries/08_parse_error.sql', text: 'SELECT 1;' },
      { file: 'examples/shop/schema/006_users_last_login.sql', text: 'ALTER TABLE users ADD COLUMN last_login_at timestamptz;' },
      { file: 'examples/shop/schema/001_users.sql', text: 'CREATE TABLE users (id int PRIMARY KEY, country text);' },
    ];
    const targets = indexTargets(sources, buildCatalog(sources), 'users', 'CREATE INDEX users_country_idx ON users (country);');
    assert.equal(targets[0].file, 'examples/shop/schema/007_add_users_country_idx.sql');
    assert.ok(!targets.some((t) => t.file.includes('queries/')));
  });

  it('appends DDL as its own paragraph with a terminating semicolon', () => {
    assert.equal(ddlInsertion('', 'CREATE INDEX i ON t (a)'), 'CREATE INDEX i ON t (a);\n');
    assert.equal(ddlInsertion('SELECT 1;', DDL), `\n\n${DDL}\n`);
    assert.equal(ddlInsertion('SELECT 1;\n', DDL), `\n${DDL}\n`);
    assert.equal(ddlInsertion('SELECT 1;\n\n', DDL), `${DDL}\n`);
  });
});
