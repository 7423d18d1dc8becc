-- The shared file store (services/files/file-store.ts): e-mail attachments and console evidence.
-- Only metadata lives here; the bytes are on disk under FILE_STORE_DIR at storage_key, a path made
-- from the row id (never from the client's file name). original_name may be personal data.

CREATE TYPE "stored_file_source" AS ENUM ('email', 'console');

CREATE TABLE "stored_file" (
    "id" UUID NOT NULL,
    "complaint_id" UUID NOT NULL,
    "original_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "storage_key" TEXT NOT NULL,
    "source" "stored_file_source" NOT NULL,
    "created_by_type" "actor_type" NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stored_file_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "stored_file_size_not_negative" CHECK ("size_bytes" >= 0),
    CONSTRAINT "stored_file_sha256_hex" CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
    -- A relative path of plain segments: nothing the disk layer could resolve outside FILE_STORE_DIR.
    CONSTRAINT "stored_file_storage_key_safe" CHECK ("storage_key" ~ '^[0-9a-f]{2}/[0-9a-f-]{36}$')
);
CREATE UNIQUE INDEX "stored_file_storage_key_key" ON "stored_file"("storage_key");
CREATE INDEX "stored_file_complaint_id_created_at_idx" ON "stored_file"("complaint_id", "created_at");
ALTER TABLE "stored_file" ADD CONSTRAINT "stored_file_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
