-- Japanese (Zengin) and Korean domestic accounts: neither country uses IBANs, a transfer is routed by the bank's
-- domestic code instead (Japan: 4-digit bank code + 3-digit branch code; Korea: the 3-digit bank code). These, the
-- Japanese account type (ORDINARY/CURRENT) and the holder's name in Zengin kana are not secret: kept in clear, shown
-- in the views. The account number itself stays in account_ciphertext (account_kind ZENGIN or KR_ACCOUNT), last four
-- in clear, as for IBANs. Every version keeps them too, so the history shows where each version paid.
ALTER TABLE bank_profile ADD COLUMN bank_code TEXT;
ALTER TABLE bank_profile ADD COLUMN branch_code TEXT;
ALTER TABLE bank_profile ADD COLUMN account_type TEXT;
ALTER TABLE bank_profile ADD COLUMN account_holder_kana TEXT;

ALTER TABLE bank_profile_version ADD COLUMN bank_code TEXT;
ALTER TABLE bank_profile_version ADD COLUMN branch_code TEXT;
ALTER TABLE bank_profile_version ADD COLUMN account_type TEXT;
ALTER TABLE bank_profile_version ADD COLUMN account_holder_kana TEXT;
