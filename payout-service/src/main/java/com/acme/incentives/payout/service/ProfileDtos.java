package com.acme.incentives.payout.service;

import com.acme.incentives.payout.domain.BankProfile;
import com.acme.incentives.payout.domain.BankProfileReason;
import com.acme.incentives.payout.domain.BankProfileStatus;
import com.acme.incentives.payout.domain.PayoutMethod;
import com.acme.incentives.payout.domain.ReviewReason;
import com.acme.incentives.payout.domain.TaxForm;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Bodies of the tax profile, bank profile and payout assignment operations. */
public final class ProfileDtos {

    private ProfileDtos() {
    }

    public record CreateTaxProfile(
            @NotBlank String partnerId,
            @NotBlank String country,
            @NotNull TaxForm taxForm,
            @NotBlank @Size(max = 40) String taxId,
            @NotNull LocalDate expiresOn) {
    }

    /** A correction of a tax profile: everything but its location, checked as at creation. */
    public record CorrectTaxProfile(
            @NotBlank String country,
            @NotNull TaxForm taxForm,
            @NotBlank @Size(max = 40) String taxId,
            @NotNull LocalDate expiresOn) {
    }

    /**
     * The current version of a tax profile; {@code version} is also its ETag. {@code createdAt}: when the profile was
     * created (version 1); {@code updatedAt}: when its current version was made.
     */
    @Schema(requiredProperties = { "id", "organizationId", "partnerId", "country", "taxForm", "taxId", "expiresOn",
            "status", "version", "createdAt", "updatedAt" })
    public record TaxProfileView(UUID id, UUID organizationId, String partnerId, String country, TaxForm taxForm,
            String taxId, LocalDate expiresOn,
            @Schema(type = SchemaType.STRING, enumeration = { "VALID", "EXPIRED" }) String status,
            @Schema(description = "1 when created, one more per correction; the ETag is this number in quotes")
            int version,
            Instant createdAt,
            Instant updatedAt) {
    }

    /** One version of a tax profile as it was submitted: made at {@code createdAt}, replaced at {@code supersededAt}. */
    @Schema(requiredProperties = { "version", "country", "taxForm", "taxId", "expiresOn", "createdAt" })
    public record TaxProfileVersionView(int version, String country, TaxForm taxForm, String taxId,
            LocalDate expiresOn,
            Instant createdAt,
            Instant supersededAt) {
    }

    /**
     * The account, by the bank country:
     * <ul>
     * <li>Japan ({@code bankCountry} {@code JP}, a Zengin transfer, paid in JPY only): {@code bankCode} (4 digits),
     * {@code branchCode} (3 digits), {@code accountType} ({@code ORDINARY} 普通 or {@code CURRENT} 当座),
     * {@code accountNumber} (7 digits) and {@code accountHolderKana}, the holder's name as the bank holds it in
     * Zengin characters (half-width katakana, A–Z, 0–9, space and {@code ( ) . , - /}; at most 30, the Zengin
     * record's beneficiary field). {@code bic} optional; no {@code iban} or {@code routingNumber}.</li>
     * <li>Korea ({@code KR}, paid in KRW only): {@code bankCode} (3 digits, e.g. 004 KB Kookmin, 088 Shinhan) and
     * {@code accountNumber} (10 to 14 digits; hyphens between digits are accepted and removed). {@code bic}
     * optional; no {@code iban} or {@code routingNumber}.</li>
     * <li>Elsewhere: either {@code iban} (+ {@code bic}), or {@code accountNumber} with {@code routingNumber} (US)
     * or {@code bic}.</li>
     * </ul>
     * Flat optional fields, as the IBAN and US shapes already are, so one body and one set of field errors serve
     * every country. Nothing of the account for {@code CREDIT_NOTE}. The currency rule (JPY, KRW) is checked by the
     * bank validation after the request, as the US one is: such a profile is ACTION_REQUIRED with the reason.
     * {@code accountType} is a string checked by the service (not the {@link
     * com.acme.incentives.payout.domain.ZenginAccountType} enum bound by Jackson) so a wrong one is the Japanese
     * field error {@code account-type-jp}, like its sibling fields, rather than the generic {@code type}.
     */
    public record CreateBankProfile(
            @NotBlank @Size(max = 100) String name,
            @NotBlank String bankCountry,
            @NotBlank String currency,
            @NotNull PayoutMethod method,
            @Size(max = 42) String iban,
            @Size(max = 11) String bic,
            @Size(max = 9) String routingNumber,
            @Schema(description = "Japan: 7 digits; Korea: 10 to 14 digits, hyphens between digits allowed (removed);"
                    + " elsewhere 4 to 34 letters or digits with routingNumber (US) or bic")
            @Size(max = 34) String accountNumber,
            @Schema(description = "Japan: the 4-digit Zengin bank code (金融機関コード); Korea: the 3-digit bank code"
                    + " (e.g. 004 KB Kookmin, 088 Shinhan, 020 Woori, 081 Hana); no other country",
                    pattern = "^[0-9]{3,4}$", example = "0005")
            String bankCode,
            @Schema(description = "Japan only: the 3-digit branch code (支店コード)", pattern = "^[0-9]{3}$",
                    example = "001")
            String branchCode,
            @Schema(description = "Japan only: ORDINARY (普通) or CURRENT (当座)", type = SchemaType.STRING,
                    enumeration = { "ORDINARY", "CURRENT" })
            String accountType,
            @Schema(description = "Japan only: the account holder's name as the bank holds it, in Zengin characters:"
                    + " half-width katakana (ｦ to ﾟ), A-Z, 0-9, space and ( ) . , - /; 1 to 30 characters (a voiced"
                    + " kana such as ｶﾞ counts two)", maxLength = 30, example = "ｶ)ｱｸﾒ")
            String accountHolderKana,
            @NotBlank @Size(max = 140) String beneficiary) {
    }

    /**
     * Account identifiers are shown masked (last four only) to everyone, admins included. The status is the
     * validation outcome of the current version; {@code version} is also the ETag.
     */
    @Schema(requiredProperties = { "id", "organizationId", "name", "bankCountry", "currency", "method", "beneficiary",
            "status", "version", "createdAt", "updatedAt" })
    public record BankProfileView(UUID id, UUID organizationId, String name, String bankCountry, String currency,
            PayoutMethod method, @Schema(type = SchemaType.STRING, enumeration = { BankProfile.IBAN,
                    BankProfile.ACCOUNT_NUMBER, BankProfile.ZENGIN, BankProfile.KR_ACCOUNT }) String accountKind,
            String maskedAccount, String bic, String routingNumber,
            @Schema(description = "Japan: Zengin bank code; Korea: bank code") String bankCode,
            @Schema(description = "Japan only") String branchCode,
            @Schema(description = "Japan only", type = SchemaType.STRING, enumeration = { "ORDINARY", "CURRENT" })
            String accountType,
            @Schema(description = "Japan only: the holder's name in Zengin kana") String accountHolderKana,
            String beneficiary, BankProfileStatus status,
            @Schema(description = "Why the profile needs action, in the caller's language (Accept-Language);"
                    + " statusReasonCode is its stable code for programs (absent for a reason given before codes"
                    + " existed)") String statusReason,
            @Schema(implementation = BankProfileReason.class) String statusReasonCode,
            Instant createdAt,
            Instant validatedAt,
            @Schema(description = "1 when created, one more per correction; the ETag is this number in quotes")
            int version,
            Instant updatedAt,
            @Schema(description = "Since the current version went to an operator's review (IN_REVIEW): why, and"
                    + " once decided who decided, when, and their note; null for a version the validation settled"
                    + " by itself") BankProfileReview review) {
    }

    /**
     * An operator's review of a bank profile version: why it went to review, and the decision once made (an approval,
     * whose note is optional, or a rejection, whose reason the profile's OPERATOR_REJECTED status reason also tells).
     */
    @Schema(requiredProperties = { "reason" })
    public record BankProfileReview(@Schema(implementation = ReviewReason.class) String reason,
            @Schema(description = "The operator's user id; null while the review waits") String reviewedBy,
            Instant reviewedAt,
            @Schema(description = "The approval's note or the rejection's reason, in the operator's words")
            String note) {

        public static BankProfileReview of(String reason, String reviewedBy, Instant reviewedAt, String note) {
            return reason == null ? null : new BankProfileReview(reason, reviewedBy, reviewedAt, note);
        }
    }

    /**
     * A bank profile in the operators' review queue: what an operator needs to decide (the account masked like
     * everywhere), the reason in the caller's language, and the version to name in {@code If-Match} when deciding.
     * {@code submittedAt}/{@code submittedBy}: when and by whom the version in review was made.
     */
    @Schema(requiredProperties = { "id", "organizationId", "name", "bankCountry", "currency", "method", "beneficiary",
            "reasonCode", "reason", "submittedAt", "submittedBy", "version" })
    public record BankProfileReviewItem(UUID id, UUID organizationId, String name, String bankCountry,
            String currency, PayoutMethod method, @Schema(type = SchemaType.STRING, enumeration = { BankProfile.IBAN,
                    BankProfile.ACCOUNT_NUMBER, BankProfile.ZENGIN, BankProfile.KR_ACCOUNT }) String accountKind,
            String maskedAccount, String beneficiary,
            @Schema(implementation = ReviewReason.class) String reasonCode,
            @Schema(description = "Why the profile is in review, in the caller's language") String reason,
            Instant submittedAt,
            @Schema(description = "The user id of who made the version in review") String submittedBy,
            @Schema(description = "The version in review: send it as If-Match (in quotes) to approve or reject")
            int version) {
    }

    /** An operator approves a profile in review, optionally saying why. */
    public record ApproveBankProfile(@Size(max = 500) String note) {
    }

    /** An operator rejects a profile in review: the partner reads the reason, verbatim, in their profile's status. */
    public record RejectBankProfile(@NotBlank @Size(max = 500) String reason) {
    }

    /**
     * One version of a bank profile as it was submitted (account masked), with the outcome of its validation: the
     * current one's as it stands, a superseded one's as it was when a correction replaced it.
     */
    @Schema(requiredProperties = { "version", "name", "bankCountry", "currency", "method", "beneficiary", "status",
            "createdAt" })
    public record BankProfileVersionView(int version, String name, String bankCountry, String currency,
            PayoutMethod method, @Schema(type = SchemaType.STRING, enumeration = { BankProfile.IBAN,
                    BankProfile.ACCOUNT_NUMBER, BankProfile.ZENGIN, BankProfile.KR_ACCOUNT }) String accountKind,
            String maskedAccount, String bic, String routingNumber,
            @Schema(description = "Japan: Zengin bank code; Korea: bank code") String bankCode,
            @Schema(description = "Japan only") String branchCode,
            @Schema(description = "Japan only", type = SchemaType.STRING, enumeration = { "ORDINARY", "CURRENT" })
            String accountType,
            @Schema(description = "Japan only: the holder's name in Zengin kana") String accountHolderKana,
            String beneficiary, BankProfileStatus status,
            @Schema(description = "Why the version needed action, in the caller's language") String statusReason,
            @Schema(implementation = BankProfileReason.class) String statusReasonCode, Instant validatedAt,
            Instant createdAt,
            Instant supersededAt,
            @Schema(description = "The operator's review of this version, when it went to one")
            BankProfileReview review) {
    }

    public record PutAssignment(UUID taxProfileId, UUID bankProfileId, String currency, Boolean holdPayment) {
    }

    @Schema(name = "PayoutAssignment", requiredProperties = { "partnerId", "programId", "organizationId",
            "holdPayment", "updatedAt" })
    public record AssignmentView(String partnerId, String programId, UUID organizationId, UUID taxProfileId,
            UUID bankProfileId, String currency, boolean holdPayment, Instant updatedAt) {
    }
}
