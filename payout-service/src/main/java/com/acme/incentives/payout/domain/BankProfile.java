package com.acme.incentives.payout.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An organization's bank (payment) profile. The account identifier is only ever held encrypted. */
@Entity
@Table(name = "bank_profile")
public class BankProfile extends PanacheEntityBase {

    public static final String IBAN = "IBAN";
    public static final String ACCOUNT_NUMBER = "ACCOUNT_NUMBER";
    /** A Japanese account: Zengin bank code, branch code, account type, 7-digit number, holder in kana. */
    public static final String ZENGIN = "ZENGIN";
    /** A Korean account: 3-digit bank code and a 10 to 14-digit number. */
    public static final String KR_ACCOUNT = "KR_ACCOUNT";

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(nullable = false)
    public String name;

    @Column(name = "bank_country", nullable = false)
    public String bankCountry;

    @Column(nullable = false)
    public String currency;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PayoutMethod method;

    @Column(name = "account_kind")
    public String accountKind;

    @Column(name = "account_ciphertext")
    public String accountCiphertext;

    @Column(name = "account_last4")
    public String accountLast4;

    public String bic;

    @Column(name = "routing_number")
    public String routingNumber;

    /** Japan: the 4-digit Zengin bank code; Korea: the 3-digit bank code. Not secret, kept in clear. */
    @Column(name = "bank_code")
    public String bankCode;

    /** Japan only: the 3-digit branch code. */
    @Column(name = "branch_code")
    public String branchCode;

    /** Japan only: a {@link ZenginAccountType} name. */
    @Column(name = "account_type")
    public String accountType;

    /** Japan only: the holder's name in Zengin characters (half-width kana), as the bank holds it. */
    @Column(name = "account_holder_kana")
    public String accountHolderKana;

    @Column(nullable = false)
    public String beneficiary;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public BankProfileStatus status;

    @Column(name = "status_reason")
    public String statusReason;

    /** A {@link BankProfileReason} name; null while no action is needed, and for reasons written before codes. */
    @Column(name = "status_reason_code")
    public String statusReasonCode;

    /** The values the reason's text names, in the order of {@link BankProfileReason}'s documentation. */
    @Column(name = "status_reason_args")
    public String[] statusReasonArgs;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    /** Counts the profile's versions (1 when created, one more per correction); its ETag. */
    @Column(nullable = false)
    public int version;

    /** When and by whom the current version was made (the creation for version 1). */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    @Column(name = "validated_at")
    public Instant validatedAt;

    /**
     * Why the current version went to an operator (a {@link ReviewReason} name); kept after the review, so the
     * history says why a person decided. Null when the validation settled the version by itself.
     */
    @Column(name = "review_reason")
    public String reviewReason;

    /** The operator who approved or rejected the current version (their user id), and when. */
    @Column(name = "reviewed_by")
    public String reviewedBy;

    @Column(name = "reviewed_at")
    public Instant reviewedAt;

    /** The operator's note on an approval, or their reason for a rejection, in their words. */
    @Column(name = "review_note")
    public String reviewNote;

    /** Needs action for {@code reason}: the code, its values, and the English text operators and logs read. */
    public void actionRequired(BankProfileReason reason, String... values) {
        status = BankProfileStatus.ACTION_REQUIRED;
        statusReasonCode = reason.name();
        statusReasonArgs = values;
        statusReason = reason.text(java.util.Locale.ENGLISH, values);
    }

    /** Needs an operator's review for {@code reason}: shown with its reason, as an ACTION_REQUIRED one is. */
    public void inReview(ReviewReason reason, String... values) {
        status = BankProfileStatus.IN_REVIEW;
        reviewReason = reason.name();
        statusReasonCode = reason.reason().name();
        statusReasonArgs = values;
        statusReason = reason.reason().text(java.util.Locale.ENGLISH, values);
    }

    /** An operator approved the version in review: approved as the validation would have, the review recorded. */
    public void approve(String operator, String note, Instant at) {
        status = BankProfileStatus.APPROVED;
        statusReason = null;
        statusReasonCode = null;
        statusReasonArgs = null;
        reviewed(operator, note, at);
    }

    /** An operator rejected the version in review: the partner corrects it, told the operator's reason. */
    public void reject(String operator, String reason, Instant at) {
        actionRequired(BankProfileReason.OPERATOR_REJECTED, reason);
        reviewed(operator, reason, at);
    }

    private void reviewed(String operator, String note, Instant at) {
        reviewedBy = operator;
        reviewedAt = at;
        reviewNote = note;
    }

    /** The reason in the reader's language (null when none). */
    public String statusReason(java.util.Locale language) {
        return BankProfileReason.render(statusReasonCode, statusReasonArgs, statusReason, language);
    }

    /** What anyone is shown of the account: its kind and last four characters. */
    public String maskedAccount() {
        return accountLast4 == null ? null : "****" + accountLast4;
    }
}
