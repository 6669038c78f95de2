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

/**
 * One version of a bank profile as submitted (the current one included), account encrypted as on the profile. Its
 * validation outcome (an operator's review included) is copied in when a correction supersedes it; until then the
 * profile's row holds it.
 */
@Entity
@Table(name = "bank_profile_version")
public class BankProfileVersion extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    @Column(nullable = false)
    public int version;

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

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "superseded_at")
    public Instant supersededAt;

    @Enumerated(EnumType.STRING)
    public BankProfileStatus status;

    @Column(name = "status_reason")
    public String statusReason;

    /** A {@link BankProfileReason} name; null while no action is needed, and for reasons written before codes. */
    @Column(name = "status_reason_code")
    public String statusReasonCode;

    /** The values the reason's text names, in the order of {@link BankProfileReason}'s documentation. */
    @Column(name = "status_reason_args")
    public String[] statusReasonArgs;

    @Column(name = "validated_at")
    public Instant validatedAt;

    /** Why the version went to an operator (a {@link ReviewReason} name), copied in with its outcome. */
    @Column(name = "review_reason")
    public String reviewReason;

    @Column(name = "reviewed_by")
    public String reviewedBy;

    @Column(name = "reviewed_at")
    public Instant reviewedAt;

    @Column(name = "review_note")
    public String reviewNote;

    public static BankProfileVersion of(BankProfile p) {
        BankProfileVersion v = new BankProfileVersion();
        v.id = UUID.randomUUID();
        v.profileId = p.id;
        v.version = p.version;
        v.name = p.name;
        v.bankCountry = p.bankCountry;
        v.currency = p.currency;
        v.method = p.method;
        v.accountKind = p.accountKind;
        v.accountCiphertext = p.accountCiphertext;
        v.accountLast4 = p.accountLast4;
        v.bic = p.bic;
        v.routingNumber = p.routingNumber;
        v.bankCode = p.bankCode;
        v.branchCode = p.branchCode;
        v.accountType = p.accountType;
        v.accountHolderKana = p.accountHolderKana;
        v.beneficiary = p.beneficiary;
        v.createdAt = p.updatedAt;
        v.createdBy = p.updatedBy;
        return v;
    }

    /** Closes this version when a correction replaces it, keeping the outcome its validation reached. */
    public void supersede(BankProfile current, Instant at) {
        supersededAt = at;
        status = current.status;
        statusReason = current.statusReason;
        statusReasonCode = current.statusReasonCode;
        statusReasonArgs = current.statusReasonArgs;
        validatedAt = current.validatedAt;
        reviewReason = current.reviewReason;
        reviewedBy = current.reviewedBy;
        reviewedAt = current.reviewedAt;
        reviewNote = current.reviewNote;
    }

    public String maskedAccount() {
        return accountLast4 == null ? null : "****" + accountLast4;
    }
}
