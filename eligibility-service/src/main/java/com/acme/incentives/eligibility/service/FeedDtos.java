package com.acme.incentives.eligibility.service;

import com.acme.incentives.eligibility.domain.AgreementType;
import com.acme.incentives.eligibility.domain.CompetencyLevel;
import com.acme.incentives.eligibility.domain.FactStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/** What partner systems send. Dates are UTC days (YYYY-MM-DD), validTo inclusive; no validTo means open-ended. */
public final class FeedDtos {

    public static final String PARTNER_ID = "[0-9]{1,12}";
    public static final String PARTNER_ID_MESSAGE = "{incentives.partner-id-digits}";
    public static final String FACT_ID = "[A-Za-z0-9._:-]{1,64}";
    public static final String FACT_ID_MESSAGE = "{incentives.fact-id}";
    /** Rows per batch; with ~200 bytes a row this stays well under the service's 4M body limit. */
    public static final int MAX_BATCH_ROWS = 5000;

    private FeedDtos() {
    }

    public record AgreementInput(@NotNull AgreementType type, @NotNull FactStatus status,
            @NotNull LocalDate validFrom, LocalDate validTo) {
    }

    public record CompetencyInput(@NotBlank @Size(max = 200) String name, @NotNull CompetencyLevel level,
            FactStatus status, @NotNull LocalDate validFrom, LocalDate validTo) {
    }

    public record FirstTransactionInput(@NotNull LocalDate date) {
    }

    public record AgreementRecord(
            @NotNull @Pattern(regexp = PARTNER_ID, message = PARTNER_ID_MESSAGE) String partnerId,
            @NotNull @Pattern(regexp = FACT_ID, message = FACT_ID_MESSAGE) String agreementId,
            @NotNull AgreementType type, @NotNull FactStatus status, @NotNull LocalDate validFrom,
            LocalDate validTo) {
    }

    public record CompetencyRecord(
            @NotNull @Pattern(regexp = PARTNER_ID, message = PARTNER_ID_MESSAGE) String partnerId,
            @NotNull @Pattern(regexp = FACT_ID, message = FACT_ID_MESSAGE) String competencyId,
            @NotBlank @Size(max = 200) String name, @NotNull CompetencyLevel level, FactStatus status,
            @NotNull LocalDate validFrom, LocalDate validTo) {
    }

    public record FirstTransactionRecord(
            @NotNull @Pattern(regexp = PARTNER_ID, message = PARTNER_ID_MESSAGE) String partnerId,
            @NotNull LocalDate date) {
    }

    /** One batch: all rows are applied, or (any row invalid) none. */
    public record FeedBatch(
            @Size(max = MAX_BATCH_ROWS) List<@NotNull @Valid AgreementRecord> agreements,
            @Size(max = MAX_BATCH_ROWS) List<@NotNull @Valid CompetencyRecord> competencies,
            @Size(max = MAX_BATCH_ROWS) List<@NotNull @Valid FirstTransactionRecord> firstTransactions) {

        public FeedBatch {
            agreements = agreements == null ? List.of() : agreements;
            competencies = competencies == null ? List.of() : competencies;
            firstTransactions = firstTransactions == null ? List.of() : firstTransactions;
        }
    }

    @Schema(requiredProperties = { "received", "rowsChanged", "locationsChanged", "eligibilityChanges",
            "pendingPartnerIds" })
    public record FeedResult(int received, int rowsChanged, int locationsChanged, int eligibilityChanges,
            Set<String> pendingPartnerIds) {
    }

    @Schema(requiredProperties = { "partnerId", "changed", "locationKnown" })
    public record AgreementView(String partnerId, String agreementId, AgreementType type, FactStatus status,
            LocalDate validFrom, LocalDate validTo, boolean changed, boolean locationKnown) {
    }

    @Schema(requiredProperties = { "partnerId", "changed", "locationKnown" })
    public record CompetencyView(String partnerId, String competencyId, String name, CompetencyLevel level,
            FactStatus status, LocalDate validFrom, LocalDate validTo, boolean changed, boolean locationKnown) {
    }

    @Schema(requiredProperties = { "partnerId", "changed", "locationKnown" })
    public record FirstTransactionView(String partnerId, LocalDate date, boolean changed, boolean locationKnown) {
    }
}
