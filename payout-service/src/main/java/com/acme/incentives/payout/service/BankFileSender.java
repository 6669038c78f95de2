package com.acme.incentives.payout.service;

import com.acme.incentives.payout.encryption.FieldEncryption;
import com.acme.incentives.payout.bank.BankChannelException;
import com.acme.incentives.payout.bank.BankChannelSettings;
import com.acme.incentives.payout.bank.BankGateway;
import com.acme.incentives.payout.bank.BankGateway.BankFile;
import com.acme.incentives.payout.bank.BankGateway.Handover;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Hands READY bank files to the bank's channel, on every replica and yet once per file: each file is claimed with
 * {@code FOR UPDATE SKIP LOCKED} in its own transaction, handed over while that row lock is held, and marked
 * SUBMITTED in the same transaction. Another replica skips a locked file and never sees it READY again once it
 * committed. A crash between the bank's answer and the commit leaves the file READY: it is handed over again, and the
 * bank de-duplicates on its message id (the adapter's contract). A failed hand-over is recorded on the file (attempts,
 * last error) and retried after an exponential back-off, never dropped.
 */
@ApplicationScoped
public class BankFileSender {

    private static final Logger LOG = Logger.getLogger(BankFileSender.class);

    @Inject
    Jdbi jdbi;

    @Inject
    BankGateway bank;

    @Inject
    FieldEncryption encryption;

    @Inject
    Clock clock;

    @Inject
    BankChannelSettings bankSettings;

    private enum Outcome { NONE, HANDED_OVER, FAILED }

    /**
     * Hands over every READY file that is due, one transaction each, and returns how many this call handed over.
     * Safe to run on any number of replicas (and threads) at once.
     */
    public int sendDue() {
        int handedOver = 0;
        while (true) {
            Outcome outcome = QuarkusTransaction.requiringNew().timeout(120).call(this::sendOne);
            if (outcome == Outcome.NONE) {
                return handedOver;
            }
            if (outcome == Outcome.HANDED_OVER) {
                handedOver++;
            }
            // FAILED: that file now waits for its back-off, so the next claim finds another one (or none).
        }
    }

    /** The file {@link #sendOne} claimed, with its attempt count including this one. */
    private record Claimed(UUID id, String messageId, byte[] sealed, int transfers, int attempts) {
    }

    private Outcome sendOne() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (Handle h = jdbi.open()) {
            Optional<Claimed> claimed = h.createQuery("""
                    SELECT id, message_id, content, transfer_count, attempts FROM bank_file
                    WHERE state = 'READY' AND next_attempt_at <= :now
                    ORDER BY next_attempt_at, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED""")
                    .bind("now", now)
                    .map((rs, ctx) -> new Claimed(rs.getObject(1, UUID.class), rs.getString(2), rs.getBytes(3),
                            rs.getInt(4), rs.getInt(5) + 1))
                    .findFirst();
            if (claimed.isEmpty()) {
                return Outcome.NONE;
            }
            UUID id = claimed.get().id();
            String messageId = claimed.get().messageId();
            int transfers = claimed.get().transfers();
            int attempts = claimed.get().attempts();
            try {
                Handover handover = bank.submit(new BankFile(id, messageId, open(claimed.get().sealed()), transfers));
                h.createUpdate("""
                        UPDATE bank_file SET state = 'SUBMITTED', submitted_at = :now, attempts = :attempts,
                            last_error = NULL
                        WHERE id = :id""")
                        .bind("now", now)
                        .bind("attempts", attempts)
                        .bind("id", id)
                        .execute();
                LOG.infof("Bank file %s (%d transfers) handed to the bank%s", messageId, transfers,
                        handover.duplicate() ? " (the bank had it already: handed over before, not paid twice)" : "");
                return Outcome.HANDED_OVER;
            } catch (BankChannelException e) {
                // Recorded on the file (our words only: it is shown to operators) and retried after its back-off.
                Duration wait = backoff(attempts);
                h.createUpdate("""
                        UPDATE bank_file SET attempts = :attempts, last_error = :lastError, next_attempt_at = :next
                        WHERE id = :id""")
                        .bind("attempts", attempts)
                        .bind("lastError", e.getMessage())
                        .bind("next", now.plus(wait))
                        .bind("id", id)
                        .execute();
                String line = "Bank file %s not handed over (attempt %d): %s; next attempt in %s";
                if (attempts >= 5) {
                    LOG.errorf(line, messageId, attempts, e.getMessage(), wait);
                } else {
                    LOG.warnf(line, messageId, attempts, e.getMessage(), wait);
                }
                return Outcome.FAILED;
            }
        }
    }

    private byte[] open(byte[] sealed) {
        try {
            return encryption.open(sealed);
        } catch (IllegalStateException e) {
            throw new BankChannelException("The stored document could not be opened (another encryption key?)", e);
        }
    }

    /** initial, 2·initial, 4·initial, … capped at the maximum: a bank that is away is not hammered. */
    Duration backoff(int attempts) {
        Duration max = bankSettings.retry().max();
        Duration wait = bankSettings.retry().initial();
        for (int i = 1; i < attempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
