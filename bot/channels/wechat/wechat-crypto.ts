// WeChat's message signatures and safe-mode (安全模式) encryption, as WeChat publishes them (the
// WXBizMsgCrypt scheme): signatures are SHA-1 over the values sorted as strings; the message is
// AES-256-CBC with key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes, plaintext =
// 16 random bytes + 4-byte big-endian length + message (UTF-8) + appid, padded PKCS#7 to 32-byte
// blocks (so OpenSSL's own 16-byte padding is turned off and the padding handled here).
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BLOCK = 32;

/** sha1 of the values sorted as strings and concatenated (WeChat's signature and msg_signature). */
export function wechatSignature(...values: string[]): string {
  return createHash('sha1').update([...values].sort().join('')).digest('hex');
}

/** Constant-time comparison of a received signature with the expected one. */
export function signatureMatches(received: string | undefined, expected: string): boolean {
  if (typeof received !== 'string' || received.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(received.toLowerCase()), Buffer.from(expected));
}

export class WechatCryptoError extends Error {
  constructor(readonly code: 'bad_key' | 'bad_ciphertext' | 'bad_padding' | 'bad_length' | 'wrong_appid', message: string) {
    super(message);
    this.name = 'WechatCryptoError';
  }
}

/** The 32-byte AES key from the 43-character EncodingAESKey. */
export function aesKeyOf(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) throw new WechatCryptoError('bad_key', 'EncodingAESKey must be 43 base64 characters');
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new WechatCryptoError('bad_key', 'EncodingAESKey does not decode to 32 bytes');
  return key;
}

/** Encrypts `message` for `appId`; `random` (16 bytes) only for test vectors. Returns base64. */
export function encryptWechatMessage(encodingAesKey: string, appId: string, message: string, random: Buffer = randomBytes(16)): string {
  if (random.length !== 16) throw new WechatCryptoError('bad_length', 'the random prefix must be 16 bytes');
  const key = aesKeyOf(encodingAesKey);
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([random, length, body, Buffer.from(appId, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/** Decrypts a base64 `Encrypt` value; checks the padding, the length and that it was sealed for `appId`. */
export function decryptWechatMessage(encodingAesKey: string, appId: string, encrypted: string): string {
  const key = aesKeyOf(encodingAesKey);
  const data = Buffer.from(encrypted, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw new WechatCryptoError('bad_ciphertext', 'ciphertext is not whole AES blocks');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new WechatCryptoError('bad_ciphertext', 'ciphertext could not be decrypted');
  }
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > BLOCK || pad > plain.length || !plain.subarray(plain.length - pad).every((b) => b === pad)) {
    throw new WechatCryptoError('bad_padding', 'bad padding (wrong key?)');
  }
  const unpadded = plain.subarray(0, plain.length - pad);
  if (unpadded.length < 20) throw new WechatCryptoError('bad_length', 'plaintext too short');
  const length = unpadded.readUInt32BE(16);
  if (20 + length > unpadded.length) throw new WechatCryptoError('bad_length', 'message length exceeds the plaintext');
  const sealedFor = unpadded.subarray(20 + length).toString('utf8');
  if (sealedFor !== appId) throw new WechatCryptoError('wrong_appid', 'the message was encrypted for another appid');
  return unpadded.subarray(20, 20 + length).toString('utf8');
}
