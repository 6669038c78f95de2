package com.acme.incentives.payout.domain;

/**
 * A bank profile's validation outcome. IN_REVIEW: the automatic checks found nothing wrong, but something only a
 * person can settle ({@link ReviewReason}); an operator approves it or rejects it. Until then it counts like
 * PENDING_VALIDATION: the location is VALIDATING and payments to it hold (BANK_PROFILE_NOT_APPROVED).
 */
public enum BankProfileStatus { PENDING_VALIDATION, IN_REVIEW, APPROVED, ACTION_REQUIRED }
