package com.acme.incentives.identity.domain;

/**
 * How a location sells (docs/product.md "Organizations and locations"); decides which incentive programme it can
 * qualify for.
 */
public enum PartnerType {
    DIRECT_BILL, INDIRECT_PROVIDER, INDIRECT_RESELLER
}
