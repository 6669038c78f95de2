package com.acme.incentives.enrollment.domain;

/** payout-service's summary of a location's tax and bank profiles (PayoutProfileStatusChanged.status). */
public enum PayoutProfileState {
    INCOMPLETE, VALIDATING, COMPLETE
}
