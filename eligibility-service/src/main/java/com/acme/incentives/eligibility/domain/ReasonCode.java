package com.acme.incentives.eligibility.domain;

import com.acme.incentives.eligibility.EligibilityMessages;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Why a criterion is met or not, as a stable machine code: a front-end switches on it (with the values beside it in the
 * criterion: factId, date, agreementType, levels) to show its own text; the API's {@code reason} is the same
 * explanation made from it in the caller's language. A code, once shipped, is never renamed.
 */
@Schema(name = "EligibilityReasonCode", description = "Why a criterion is met or not (stable; `reason` says it in"
        + " words). Agreement and competency criteria: `ACTIVE` (met by `factId`, open-ended), `ACTIVE_UNTIL` (met by"
        + " `factId` until `date` inclusive), `NONE_ON_RECORD` (no such fact at all), `NOT_VALID_BEFORE` (`factId`"
        + " starts on `date`), `EXPIRED` (`factId` ended on `date`), `TERMINATED` (`factId` was terminated). First"
        + " transaction: `NO_FIRST_TRANSACTION`, `FIRST_TRANSACTION_IN_FUTURE` (dated `date`, after today),"
        + " `FIRST_TRANSACTION_RECORDED` (on `date`). `PROGRAM_NOT_OFFERED`: the programme no longer applies to the"
        + " location (criterion `PROGRAM_OFFERED`)")
public enum ReasonCode {
    ACTIVE(EligibilityMessages.REASON_ACTIVE),
    ACTIVE_UNTIL(EligibilityMessages.REASON_ACTIVE_UNTIL),
    NONE_ON_RECORD(EligibilityMessages.REASON_NONE_ON_RECORD),
    NOT_VALID_BEFORE(EligibilityMessages.REASON_NOT_VALID_BEFORE),
    EXPIRED(EligibilityMessages.REASON_EXPIRED),
    TERMINATED(EligibilityMessages.REASON_TERMINATED),
    NO_FIRST_TRANSACTION(EligibilityMessages.REASON_NO_FIRST_TRANSACTION),
    FIRST_TRANSACTION_IN_FUTURE(EligibilityMessages.REASON_FIRST_TRANSACTION_IN_FUTURE),
    FIRST_TRANSACTION_RECORDED(EligibilityMessages.REASON_FIRST_TRANSACTION_RECORDED),
    PROGRAM_NOT_OFFERED(EligibilityMessages.REASON_PROGRAM_NOT_OFFERED);

    /**
     * The sentence. Its arguments, by code: for agreements and competencies {0} is the subject ("MPN agreement"),
     * {1} the fact's id and {2} the date; for the first transaction {0} is its date; for PROGRAM_NOT_OFFERED {0} is the
     * programme's id.
     */
    final EligibilityMessages text;

    ReasonCode(EligibilityMessages text) {
        this.text = text;
    }
}
