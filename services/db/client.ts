// Prisma 7 runs queries through its WASM query compiler and the `pg` driver adapter: no engine binary.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export type Database = PrismaClient;
export { Prisma } from './generated/client';

export function createDatabase(options: { databaseUrl: string; poolSize?: number }): Database {
  const adapter = new PrismaPg({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}
