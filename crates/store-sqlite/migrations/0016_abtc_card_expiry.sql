-- An ABTC approval's card expiry is its end date in the index (for the
-- cards expiring soon in /tasks); records written before this migration
-- get it from their body.
UPDATE records
SET date_end = json_extract(data, '$.card_expires_on')
WHERE type = 'abtc_approval' AND json_extract(data, '$.card_expires_on') IS NOT NULL;
