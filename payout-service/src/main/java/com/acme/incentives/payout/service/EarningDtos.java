package com.acme.incentives.payout.service;

import com.acme.incentives.payout.domain.EarningType;
import com.acme.incentives.platform.openapi.DecimalString;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

public final class EarningDtos {

    public static final int MAX_LINES = 10_000;

    private EarningDtos() {
    }

    /** One earning as the billing system sends it. Amounts are exact decimals (JSON strings recommended). */
    public record EarningLine(String earningId, String partnerId, String programId,
            @Schema(implementation = EarningType.class) String type, String lever,
            String transactionId, LocalDate transactionDate,
            @Schema(implementation = DecimalString.class) BigDecimal transactionAmount,
            String transactionCurrency,
            @Schema(implementation = DecimalString.class) BigDecimal rate,
            @Schema(implementation = DecimalString.class) BigDecimal earningAmount,
            String earningCurrency, String customer, String product, String reasonCode) {
    }

    public record EarningBatch(
            @NotNull @Size(min = 1, max = MAX_LINES, message = "{incentives.lines}")
            List<@Valid EarningLine> lines) {
    }

    @Schema(requiredProperties = { "received", "created", "alreadyPresent", "receivedAt" })
    public record BatchResult(int received, int created, int alreadyPresent, Instant receivedAt) {
    }

    /** An earning as the organization sees it, with the payment that paid (or holds) it. */
    @Schema(requiredProperties = { "earningId", "partnerId", "programId", "type", "transactionDate",
            "earningAmount", "earningCurrency", "status", "receivedAt" })
    public record EarningView(String earningId, String partnerId, String programId,
            @Schema(implementation = EarningType.class) String type, String lever,
            String transactionId, LocalDate transactionDate,
            @Schema(implementation = DecimalString.class) String transactionAmount,
            String transactionCurrency,
            @Schema(implementation = DecimalString.class) String rate,
            @Schema(implementation = DecimalString.class) String earningAmount,
            String earningCurrency, String customer, String product, String reasonCode,
            @Schema(description = "UNPAID, or the status of the payment that holds or paid it") String status,
            UUID paymentId, Instant receivedAt) {
    }
}
