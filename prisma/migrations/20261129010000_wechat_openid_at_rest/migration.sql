-- The WeChat openid is personal data (it names one person to the account): it is now stored
-- encrypted (open_id, as the other personal-data columns) and found by a keyed hash (open_id_hash,
-- HMAC-SHA256 under PII_HASH_KEY, as complainant.phone_hash). Followers stored before this release keep
-- their plaintext openid and no hash until their next message (which hashes and encrypts their row,
-- keeping its id and so their conversation) or `npm run pii:encrypt`; the plain index on
-- (app_id, open_id) serves that look-up and is kept until every row is hashed.
ALTER TABLE "wechat_user" ADD COLUMN "open_id_hash" TEXT;
DROP INDEX "wechat_user_app_id_open_id_key";
CREATE UNIQUE INDEX "wechat_user_app_id_open_id_hash_key" ON "wechat_user"("app_id", "open_id_hash");
CREATE INDEX "wechat_user_app_id_open_id_idx" ON "wechat_user"("app_id", "open_id");
