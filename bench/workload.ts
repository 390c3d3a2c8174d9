/**
 * A reproducible SQL workload over the example schema (examples/shop/schema): realistic
 * statement shapes — lookups, joins, aggregates, CTEs, writes — with varied literals so
 * that no two statements are textually equal (the parse cache cannot shortcut the run).
 */

/** Deterministic PRNG (mulberry32) so every run lints the same file. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES = ['books', 'toys', 'garden', 'lighting', 'kitchen', 'games', 'music'];
const STATUSES = ['PENDING', 'PAID', 'SHIPPED', 'CANCELLED'];
const KINDS = ['login', 'logout', 'view', 'search', 'checkout'];
const COUNTRIES = ['NZ', 'DE', 'FR', 'US', 'JP', 'BR'];

type Template = (n: () => number, pick: <T>(xs: T[]) => T) => string;

const TEMPLATES: Template[] = [
  (n) => `SELECT id, email, name FROM users WHERE id = ${n()}`,
  (n) => `SELECT id, total_cents, created_at FROM orders WHERE user_id = ${n()} ORDER BY created_at DESC LIMIT ${10 + (n() % 40)}`,
  (n, pick) => `SELECT id, name, price_cents FROM products WHERE category = '${pick(CATEGORIES)}' AND price_cents < ${n() % 10000}`,
  (n) => `SELECT o.id, o.total_cents, u.email\nFROM orders o\nJOIN users u ON u.id = o.user_id\nWHERE o.id = ${n()}`,
  (n, pick) =>
    `SELECT p.category, sum(oi.quantity * oi.unit_price_cents) AS revenue\nFROM order_items oi\nJOIN products p ON p.id = oi.product_id\nJOIN orders o ON o.id = oi.order_id\nWHERE o.status = '${pick(STATUSES)}' AND o.created_at >= now() - interval '${1 + (n() % 30)} days'\nGROUP BY p.category\nORDER BY revenue DESC`,
  (n) => `SELECT id, name FROM users WHERE lower(email) = lower('user${n()}@example.com')`,
  (n) => `SELECT * FROM orders WHERE id = ${n()}`,
  (n, pick) => `SELECT id, kind, occurred_at FROM events WHERE user_id = ${n()} AND kind = '${pick(KINDS)}'`,
  (n) => `SELECT id, name FROM products WHERE name ILIKE '%lamp${n()}%'`,
  (n) => `SELECT id, total_cents FROM orders WHERE date_trunc('day', created_at) = '2024-03-${String(1 + (n() % 28)).padStart(2, '0')}'`,
  (n) => `SELECT id FROM users WHERE age + 1 = ${18 + (n() % 60)}`,
  (n, pick) => `UPDATE orders SET status = '${pick(STATUSES)}', shipped_at = now() WHERE id = ${n()}`,
  (n) => `DELETE FROM events WHERE occurred_at < now() - interval '${30 + (n() % 300)} days'`,
  (n, pick) =>
    `INSERT INTO events (user_id, kind, payload) VALUES (${n()}, '${pick(KINDS)}', '{"page": ${n() % 100}}')`,
  (n) =>
    `WITH recent AS (\n  SELECT user_id, count(*) AS orders\n  FROM orders\n  WHERE created_at >= now() - interval '${1 + (n() % 90)} days'\n  GROUP BY user_id\n)\nSELECT u.id, u.email, r.orders\nFROM recent r\nJOIN users u ON u.id = r.user_id\nWHERE r.orders > ${1 + (n() % 5)}\nORDER BY r.orders DESC\nLIMIT 100`,
  (n, pick) => `SELECT id, name FROM users WHERE country = '${pick(COUNTRIES)}' AND created_at > now() - interval '${n() % 365} days'`,
  (n) => `SELECT order_id, quantity FROM order_items WHERE product_id = ${n()}`,
  (n) =>
    `SELECT u.id, u.name, (SELECT count(*) FROM orders o WHERE o.user_id = u.id) AS order_count\nFROM users u\nWHERE u.id BETWEEN ${n()} AND ${n() + 100}`,
];

/** A `.sql` document with `count` statements, each terminated by `;` and a blank line. */
export function generateSqlWorkload(count: number, seed = 42): string {
  const rand = prng(seed);
  const n = () => 1 + Math.floor(rand() * 1_000_000);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = TEMPLATES[i % TEMPLATES.length];
    out.push(`-- statement ${i + 1}\n${t(n, pick)};\n`);
  }
  return out.join('\n');
}
