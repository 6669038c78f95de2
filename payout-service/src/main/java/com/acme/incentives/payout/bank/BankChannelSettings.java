package com.acme.incentives.payout.bank;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;

/**
 * {@code payout.bank.*}: the bank channel (README "The bank channel"; application.properties). The {@code *-every}
 * keys are read by the senders' and the poller's {@code @Scheduled} as well.
 */
@ConfigMapping(prefix = "payout.bank")
public interface BankChannelSettings {

    /** The channel's base URL (the REST client {@code bank-channel} is configured from it). */
    String url();

    /** How often READY bank files are handed over, or {@code off}. */
    String sendEvery();

    /** How often status reports are pulled, or {@code off}. */
    String pollEvery();

    /** A failed hand-over is tried again after {@code initial}, doubling up to {@code max}. */
    Retry retry();

    /** The debtor of every credit transfer: our account, written into each pain.001. */
    String debtorName();

    String debtorIban();

    String debtorBic();

    interface Retry {
        Duration initial();

        Duration max();
    }
}
