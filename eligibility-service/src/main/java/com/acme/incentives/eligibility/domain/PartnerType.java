package com.acme.incentives.eligibility.domain;

/** PRODUCT.md's partner types; a programme is offered to exactly one. */
public enum PartnerType {
    DIRECT_BILL, INDIRECT_PROVIDER, INDIRECT_RESELLER
}
