-- Where a user's reminders go. Kept in step with crates/store-postgres/migrations/0010_user_email.sql.
-- Optional: reminders are e-mailed only to users with an address, and only
-- when an SMTP server is configured (NGOAIVU_SMTP_URL).
ALTER TABLE users ADD COLUMN email TEXT;
