package com.acme.incentives.payout.domain;

public enum PayoutMethod { BANK_TRANSFER, CREDIT_NOTE }
