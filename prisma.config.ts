// Prisma 7 reads the database URL from here, not from schema.prisma. The CLI's migrate commands need
// a schema-engine binary this network cannot download; the project applies migrations itself
// (npm run db:migrate), so this file only serves `prisma generate` and, where the engine exists,
// `prisma migrate status`.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/complaints' },
});
