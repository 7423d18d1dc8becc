// One line at start saying how personal data is encrypted: the key ids and where they came from, never
// a key. The development key gets a warning (it is public, in this repository).
import type { Logger } from 'pino';
import type { AppConfig } from '../config';

export function logPiiKeySource(log: Logger, pii: AppConfig['pii']): void {
  const keyIds = [...pii.keyring.keys.keys()];
  if (pii.source === 'development') {
    log.warn({ keyId: pii.keyring.currentKeyId }, 'personal data is encrypted with the built-in DEVELOPMENT key: set PII_KEYS or PII_KEY_FILE outside development');
  } else {
    log.info({ keyId: pii.keyring.currentKeyId, keyIds, source: pii.source }, 'personal data encrypted at rest (AES-256-GCM)');
  }
}
