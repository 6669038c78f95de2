package com.acme.incentives.payout.domain;

public enum BankProfileStatus { PENDING_VALIDATION, APPROVED, ACTION_REQUIRED }
