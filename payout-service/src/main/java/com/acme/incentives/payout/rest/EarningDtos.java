package com.acme.incentives.payout.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

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
    public record EarningLine(String earningId, String partnerId, String programId, String type, String lever,
            String transactionId, LocalDate transactionDate, BigDecimal transactionAmount, String transactionCurrency,
            BigDecimal rate, BigDecimal earningAmount, String earningCurrency, String customer, String product,
            String reasonCode) {
    }

    public record EarningBatch(
            @NotNull @Size(min = 1, max = MAX_LINES, message = "must hold 1 to " + MAX_LINES + " lines")
            List<@Valid EarningLine> lines) {
    }

    public record BatchResult(int received, int created, int alreadyPresent, Instant receivedAt) {
    }

    /** An earning as the organization sees it, with the payment that paid (or holds) it. */
    public record EarningView(String earningId, String partnerId, String programId, String type, String lever,
            String transactionId, LocalDate transactionDate, String transactionAmount, String transactionCurrency,
            String rate, String earningAmount, String earningCurrency, String customer, String product,
            String reasonCode, String status, UUID paymentId, Instant receivedAt) {
    }
}
