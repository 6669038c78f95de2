package com.acme.incentives.eligibility.domain;

/** The partner types of docs/product.md "Organizations and locations"; a programme is offered to exactly one. */
public enum PartnerType {
    DIRECT_BILL, INDIRECT_PROVIDER, INDIRECT_RESELLER
}
