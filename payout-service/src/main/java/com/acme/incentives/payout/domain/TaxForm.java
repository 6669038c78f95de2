package com.acme.incentives.payout.domain;

public enum TaxForm { W9, W8BEN, W8BENE, NONE }
