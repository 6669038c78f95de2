package com.acme.incentives.payout.domain;

public enum EarningType { REBATE, COOP, FEE, ADJUSTMENT }
