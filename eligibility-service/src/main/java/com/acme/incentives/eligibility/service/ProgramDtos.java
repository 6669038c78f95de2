package com.acme.incentives.eligibility.service;

import com.acme.incentives.eligibility.domain.AgreementType;
import com.acme.incentives.eligibility.domain.CompetencyLevel;
import com.acme.incentives.eligibility.domain.CriterionKind;
import com.acme.incentives.eligibility.domain.PartnerType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

public final class ProgramDtos {

    private ProgramDtos() {
    }

    /** One criterion: AGREEMENT needs agreementType; COMPETENCY needs levels; FIRST_TRANSACTION needs neither. */
    public record CriterionInput(@NotNull CriterionKind kind, AgreementType agreementType,
            List<@NotNull CompetencyLevel> levels) {
    }

    public record ProgramInput(
            @NotBlank @Size(max = 200) String name,
            @NotNull PartnerType partnerType,
            @Size(max = 250) List<@NotNull String> countries,
            @NotEmpty @Size(max = 20) List<@NotNull @Valid CriterionInput> criteria,
            Boolean active) {
    }

    public record CriterionView(String criterion, CriterionKind kind, AgreementType agreementType,
            List<CompetencyLevel> levels) {
    }

    @Schema(requiredProperties = { "id", "name", "partnerType", "countries", "criteria", "active", "revision",
            "updatedAt" })
    public record ProgramView(String id, String name, PartnerType partnerType, List<String> countries,
            List<CriterionView> criteria, boolean active, int revision, Instant updatedAt) {
    }
}
