// A Knex migration: the project's migration format, which "Add suggested index…" must follow.
exports.up = (knex) =>
  knex.schema.createTable('order_notes', (t) => {
    t.bigIncrements('id');
    t.bigInteger('order_id').notNullable();
    t.text('body').notNullable();
  });

exports.down = (knex) => knex.schema.dropTable('order_notes');
