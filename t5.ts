import * as fs from 'fs';
import { buildCatalog } from './src/core/schema/catalog';
import { analyzeQuery } from './src/core/advisor/analyze';
import { SqlLinter } from './src/core/lint/linter';
const cat = buildCatalog([{ file: 'prisma/schema.prisma', text: fs.readFileSync('examples/prisma-shop/prisma/schema.prisma', 'utf8') }], 'postgresql');
for (const q of [`SELECT "public"."Product"."id" FROM "public"."Product" WHERE ("public"."Product"."title" ILIKE ('%' || $1 || '%')) LIMIT $2`,
`SELECT "public"."Product"."id" FROM "public"."Product" WHERE ("public"."Product"."title" LIKE ('%' || $1 || '%')) LIMIT $2`,
`SELECT "public"."Product"."id" FROM "public"."Product" WHERE ("public"."Product"."title" ILIKE '%' || $1 || '%') LIMIT $2`,
`SELECT "public"."Product"."id" FROM "public"."Product" WHERE ("public"."Product"."title" LIKE $1 || '%') LIMIT $2`]) {
const a = analyzeQuery(q, cat, 'postgresql');
console.log(a.ok, a.message, new SqlLinter().lint(q, {dialect:'postgresql', catalog: cat}).map(f=>f.ruleId));
}
