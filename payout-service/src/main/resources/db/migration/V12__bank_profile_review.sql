-- Bank profiles the automatic checks cannot settle (status IN_REVIEW: a bank country none of the organization's
-- locations is in, an account changed after payments were sent to it) wait for an operator, who approves or rejects
-- them. Why the version went to review (review_reason, a ReviewReason code) stays after the decision, with who
-- decided, when, and their note (an approval's optional note, a rejection's reason): on the profile while the version
-- is current, copied to its bank_profile_version row when a correction supersedes it, like the validation outcome.
ALTER TABLE bank_profile
    ADD COLUMN review_reason TEXT,
    ADD COLUMN reviewed_by   TEXT,
    ADD COLUMN reviewed_at   TIMESTAMPTZ,
    ADD COLUMN review_note   TEXT;
ALTER TABLE bank_profile_version
    ADD COLUMN review_reason TEXT,
    ADD COLUMN reviewed_by   TEXT,
    ADD COLUMN reviewed_at   TIMESTAMPTZ,
    ADD COLUMN review_note   TEXT;

-- The operators' review queue (GET /payment-profile-reviews): every organization's profiles in review, the longest
-- waiting first.
CREATE INDEX bank_profile_in_review ON bank_profile (updated_at, id) WHERE status = 'IN_REVIEW';
