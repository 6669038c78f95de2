package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.domain.BankProfileReason;
import com.acme.incentives.payout.domain.BankProfileStatus;
import com.acme.incentives.payout.domain.PayoutMethod;
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
     * Either {@code iban} (+ {@code bic}), or {@code accountNumber} with {@code routingNumber} (US) or {@code bic};
     * nothing for {@code CREDIT_NOTE}.
     */
    public record CreateBankProfile(
            @NotBlank @Size(max = 100) String name,
            @NotBlank String bankCountry,
            @NotBlank String currency,
            @NotNull PayoutMethod method,
            @Size(max = 42) String iban,
            @Size(max = 11) String bic,
            @Size(max = 9) String routingNumber,
            @Size(max = 34) String accountNumber,
            @NotBlank @Size(max = 140) String beneficiary) {
    }

    /**
     * Account identifiers are shown masked (last four only) to everyone, admins included. The status is the
     * validation outcome of the current version; {@code version} is also the ETag.
     */
    @Schema(requiredProperties = { "id", "organizationId", "name", "bankCountry", "currency", "method", "beneficiary",
            "status", "version", "createdAt", "updatedAt" })
    public record BankProfileView(UUID id, UUID organizationId, String name, String bankCountry, String currency,
            PayoutMethod method, String accountKind, String maskedAccount, String bic, String routingNumber,
            String beneficiary, BankProfileStatus status,
            @Schema(description = "Why the profile needs action, in the caller's language (Accept-Language)")
            String statusReason,
            @Schema(implementation = BankProfileReason.class, description = "The reason's stable code, for programs;"
                    + " absent for a reason given before codes existed") String statusReasonCode,
            Instant createdAt,
            Instant validatedAt,
            @Schema(description = "1 when created, one more per correction; the ETag is this number in quotes")
            int version,
            Instant updatedAt) {
    }

    /**
     * One version of a bank profile as it was submitted (account masked), with the outcome of its validation: the
     * current one's as it stands, a superseded one's as it was when a correction replaced it.
     */
    @Schema(requiredProperties = { "version", "name", "bankCountry", "currency", "method", "beneficiary", "status",
            "createdAt" })
    public record BankProfileVersionView(int version, String name, String bankCountry, String currency,
            PayoutMethod method, String accountKind, String maskedAccount, String bic, String routingNumber,
            String beneficiary, BankProfileStatus status,
            @Schema(description = "Why the version needed action, in the caller's language") String statusReason,
            @Schema(implementation = BankProfileReason.class) String statusReasonCode, Instant validatedAt,
            Instant createdAt,
            Instant supersededAt) {
    }

    public record PutAssignment(UUID taxProfileId, UUID bankProfileId, String currency, Boolean holdPayment) {
    }

    @Schema(name = "PayoutAssignment", requiredProperties = { "partnerId", "programId", "organizationId",
            "holdPayment", "updatedAt" })
    public record AssignmentView(String partnerId, String programId, UUID organizationId, UUID taxProfileId,
            UUID bankProfileId, String currency, boolean holdPayment, Instant updatedAt) {
    }
}
