package com.acme.incentives.eligibility.domain;

public enum CompetencyLevel {
    SILVER, GOLD
}
