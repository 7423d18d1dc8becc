// Prisma 7 runs queries through its WASM query compiler and the `pg` driver adapter: no engine binary.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { withFieldEncryption } from '../pii/encrypting-client';
import { developmentPiiKeyring, type PiiKeyring } from '../pii/pii-keys';

export type Database = PrismaClient;
export { Prisma } from './generated/client';

/**
 * `pii` is config.pii.keyring: the client encrypts personal-data columns on write and decrypts them on
 * read (services/pii/encrypting-client.ts). Without it, the development key (tests, local tools);
 * every production entry point passes the configured keys.
 */
export function createDatabase(options: { databaseUrl: string; poolSize?: number; pii?: PiiKeyring }): Database {
  const adapter = new PrismaPg({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
  });
  return withFieldEncryption(new PrismaClient({ adapter }), options.pii ?? developmentPiiKeyring());
}
