/**
 * A generated schema shaped like a grown application's migration history (Prisma's layout:
 * `migrations/<timestamp>_<name>/migration.sql`): 60 tables built by 150 migrations — tables
 * created, then columns, indexes, foreign keys, an enum value and a rename added over time.
 * Deterministic, so benchmark runs compare.
 */
import * as fs from 'fs';
import * as path from 'path';

const TABLES = 60;
const MIGRATIONS = 150;

/** Writes the migrations under `dir` and returns the number of files written. */
export function writeBigSchema(dir: string): number {
  const files: string[][] = Array.from({ length: MIGRATIONS }, () => []);
  const name = (i: number) => (i === 0 ? 'accounts' : `entity_${String(i).padStart(2, '0')}`);
  files[0].push(`CREATE TYPE "Status" AS ENUM ('ACTIVE', 'PENDING', 'ARCHIVED');`);
  // Migrations 0–59 create one table each, referencing an earlier table.
  for (let i = 0; i < TABLES; i++) {
    const fk = i > 0 ? `,\n    "parentId" INTEGER NOT NULL,\n    "accountId" INTEGER NOT NULL` : '';
    files[i].push(`-- CreateTable
CREATE TABLE "${name(i)}" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "status" "Status" NOT NULL DEFAULT 'PENDING',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL${fk},
    CONSTRAINT "${name(i)}_pkey" PRIMARY KEY ("id")
);`);
    if (i > 0) {
      const parent = name(Math.floor(i / 2));
      files[i].push(`-- AddForeignKey
ALTER TABLE "${name(i)}" ADD CONSTRAINT "${name(i)}_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "${parent}"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`);
      files[i].push(`ALTER TABLE "${name(i)}" ADD CONSTRAINT "${name(i)}_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;`);
      files[i].push(`-- CreateIndex\nCREATE INDEX "${name(i)}_parentId_idx" ON "${name(i)}"("parentId");`);
    }
  }
  // Migrations 60–149 evolve the tables: new columns, indexes, a unique key, a rename, defaults.
  for (let m = TABLES; m < MIGRATIONS; m++) {
    const t = name((m * 7) % TABLES);
    switch (m % 5) {
      case 0:
        files[m].push(`-- AlterTable\nALTER TABLE "${t}" ADD COLUMN "note_${m}" TEXT;`);
        break;
      case 1:
        files[m].push(`-- AlterTable\nALTER TABLE "${t}" ADD COLUMN "amount_${m}" DECIMAL(65,30) NOT NULL DEFAULT 0;`);
        files[m].push(`-- CreateIndex\nCREATE INDEX "${t}_amount_${m}_idx" ON "${t}"("amount_${m}");`);
        break;
      case 2:
        files[m].push(`-- AlterTable\nALTER TABLE "${t}" ADD COLUMN "slug_${m}" TEXT;\nUPDATE "${t}" SET "slug_${m}" = "name";`);
        files[m].push(`-- CreateIndex\nCREATE UNIQUE INDEX "${t}_slug_${m}_key" ON "${t}"("slug_${m}");`);
        break;
      case 3:
        files[m].push(`-- CreateIndex\nCREATE INDEX "${t}_status_createdAt_${m}_idx" ON "${t}"("status", "createdAt");`);
        break;
      default:
        files[m].push(`-- AlterTable\nALTER TABLE "${t}" ADD COLUMN "flag_${m}" BOOLEAN NOT NULL DEFAULT false,\nADD COLUMN "seen_${m}" TIMESTAMP(3);`);
    }
  }
  files[MIGRATIONS - 1].push(`-- AlterEnum\nALTER TYPE "Status" ADD VALUE 'DELETED';`);
  fs.mkdirSync(dir, { recursive: true });
  files.forEach((stmts, i) => {
    const sub = path.join(dir, `2024${String(100000 + i).slice(1)}_m${i}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, 'migration.sql'), stmts.join('\n\n') + '\n');
  });
  return files.length;
}
