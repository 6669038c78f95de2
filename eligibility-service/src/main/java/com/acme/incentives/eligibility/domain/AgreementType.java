package com.acme.incentives.eligibility.domain;

/** Agreement types the partner feed may send; anything else is refused so a typo never silently counts as "missing". */
public enum AgreementType {
    MPN, CLOUD_DISTRIBUTOR, RESELLER
}
