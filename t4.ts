import * as fs from 'fs';
import { buildCatalog } from './src/core/schema/catalog';
import { analyzeQuery } from './src/core/advisor/analyze';
import { generateCandidates } from './src/core/advisor/candidates';
const cat = buildCatalog([{ file: 'prisma/schema.prisma', text: fs.readFileSync('examples/prisma-shop/prisma/schema.prisma', 'utf8') }], 'postgresql');
const a = analyzeQuery('SELECT "public"."Order"."id" FROM "public"."Order" WHERE ("public"."Order"."status" = $1) ORDER BY "public"."Order"."placedAt" ASC LIMIT $2', cat, 'postgresql');
console.log(JSON.stringify(a, null, 1));
try { console.log(generateCandidates(a as any, cat, {} as any)); } catch (e) { console.log(e); }
