package com.acme.incentives.banksimulator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The simulated bank's rules and where it delivers its reports ({@code bank.simulator.*}; environment form
 * {@code BANK_SIMULATOR_*}). By default every transfer is accepted at once (ACSP) and settled later (ACSC); a
 * creditor account ending in one of {@link #rejectAccountSuffixes()} is refused (RJCT), one ending in one of
 * {@link #returnAccountSuffixes()} is settled and then comes back (RJCT after ACSC: a return).
 */
@ConfigMapping(prefix = "bank.simulator")
public interface SimulatorConfig {

    /** How long after accepting a transfer (ACSP) the bank reports it settled (ACSC). */
    @WithDefault("PT10S")
    Duration settleAfter();

    /** Creditor accounts (IBAN or other id) ending in one of these are refused at once. */
    @WithDefault("13")
    List<String> rejectAccountSuffixes();

    /** ISO 20022 reason code of that refusal (AC01: incorrect account number). */
    @WithDefault("AC01")
    String rejectReason();

    /** Creditor accounts ending in one of these are settled, then the money comes back. */
    @WithDefault("99")
    List<String> returnAccountSuffixes();

    /** How long after the settlement report the return (RJCT) is reported. */
    @WithDefault("PT20S")
    Duration returnAfter();

    /** Reason code of the return (AC04: closed account). */
    @WithDefault("AC04")
    String returnReason();

    /**
     * Where reports are pushed (payout-service's {@code POST /api/v1/bank/status-reports}, through the gateway or
     * directly) with a bearer token of the {@code bank-connector} client (quarkus.oidc-client.*). Unset: reports are
     * only kept for pulling ({@code GET /reports}).
     */
    Optional<String> callbackUrl();

    /** Delivery attempts per pushed report, and the pause before the second (doubled before each next). */
    @WithDefault("5")
    int pushAttempts();

    @WithDefault("PT1S")
    Duration pushBackoff();
}
