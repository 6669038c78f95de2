package com.acme.incentives.eligibility.domain;

/** Status of an agreement or competency as the partner system reports it; only ACTIVE facts count. */
public enum FactStatus {
    ACTIVE, TERMINATED
}
