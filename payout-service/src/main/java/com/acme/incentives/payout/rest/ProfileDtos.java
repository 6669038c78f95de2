package com.acme.incentives.payout.rest;

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

    @Schema(requiredProperties = { "id", "organizationId", "partnerId", "country", "taxForm", "taxId", "expiresOn",
            "status", "createdAt" })
    public record TaxProfileView(UUID id, UUID organizationId, String partnerId, String country, TaxForm taxForm,
            String taxId, LocalDate expiresOn,
            @Schema(type = SchemaType.STRING, enumeration = { "VALID", "EXPIRED" }) String status, Instant createdAt) {
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

    /** Account identifiers are shown masked (last four only) to everyone, admins included. */
    @Schema(requiredProperties = { "id", "organizationId", "name", "bankCountry", "currency", "method", "beneficiary",
            "status", "createdAt" })
    public record BankProfileView(UUID id, UUID organizationId, String name, String bankCountry, String currency,
            PayoutMethod method, String accountKind, String maskedAccount, String bic, String routingNumber,
            String beneficiary, BankProfileStatus status, String statusReason, Instant createdAt,
            Instant validatedAt) {
    }

    public record PutAssignment(UUID taxProfileId, UUID bankProfileId, String currency, Boolean holdPayment) {
    }

    @Schema(name = "PayoutAssignment", requiredProperties = { "partnerId", "programId", "organizationId",
            "holdPayment", "updatedAt" })
    public record AssignmentView(String partnerId, String programId, UUID organizationId, UUID taxProfileId,
            UUID bankProfileId, String currency, boolean holdPayment, Instant updatedAt) {
    }
}
