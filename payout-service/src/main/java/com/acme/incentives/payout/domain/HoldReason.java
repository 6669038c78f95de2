package com.acme.incentives.payout.domain;

import com.acme.incentives.payout.PayoutMessages;

/**
 * Why a payment is held, in the order they are listed, with what the partner (or operator) does about it. The name is
 * the stable machine code a front-end switches on; the next action is a text in the caller's language.
 */
public enum HoldReason {
    NOT_ENROLLED(PayoutMessages.NEXT_ACTION_NOT_ENROLLED),
    TAX_PROFILE_MISSING(PayoutMessages.NEXT_ACTION_TAX_PROFILE_MISSING),
    TAX_PROFILE_EXPIRED(PayoutMessages.NEXT_ACTION_TAX_PROFILE_EXPIRED),
    BANK_PROFILE_MISSING(PayoutMessages.NEXT_ACTION_BANK_PROFILE_MISSING),
    BANK_PROFILE_NOT_APPROVED(PayoutMessages.NEXT_ACTION_BANK_PROFILE_NOT_APPROVED),
    PARTNER_HOLD(PayoutMessages.NEXT_ACTION_PARTNER_HOLD),
    BELOW_THRESHOLD(PayoutMessages.NEXT_ACTION_BELOW_THRESHOLD),
    /** An operator holds the payment (POST /payments/{id}/hold) until an operator releases it. */
    OPERATOR_HOLD(PayoutMessages.NEXT_ACTION_OPERATOR_HOLD);

    private final PayoutMessages nextAction;

    HoldReason(PayoutMessages nextAction) {
        this.nextAction = nextAction;
    }

    /** What to do, in the language of the request being served (English outside one). */
    public String nextAction() {
        return nextAction.text();
    }
}
