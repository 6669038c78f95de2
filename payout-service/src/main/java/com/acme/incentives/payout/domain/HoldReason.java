package com.acme.incentives.payout.domain;

/** Why a payment is held, in the order they are listed, with what the partner (or operator) does about it. */
public enum HoldReason {
    NOT_ENROLLED("Complete the enrolment of this location in the programme"),
    TAX_PROFILE_MISSING("Add a tax profile for this location"),
    TAX_PROFILE_EXPIRED("Renew the expired tax profile of this location"),
    BANK_PROFILE_MISSING("Add a bank profile and assign it to this location and programme"),
    BANK_PROFILE_NOT_APPROVED("Correct the bank profile until it is approved"),
    PARTNER_HOLD("Turn off \"hold my payment\" on the payout assignment"),
    BELOW_THRESHOLD("Nothing: the amount rolls into the next run until it reaches the threshold");

    private final String nextAction;

    HoldReason(String nextAction) {
        this.nextAction = nextAction;
    }

    public String nextAction() {
        return nextAction;
    }
}
