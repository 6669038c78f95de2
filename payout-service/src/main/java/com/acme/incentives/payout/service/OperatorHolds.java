package com.acme.incentives.payout.service;

import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.HoldReason;
import com.acme.incentives.payout.domain.PaymentStatus;
import com.acme.incentives.payout.events.PaymentEvents.PaymentHeld;
import com.acme.incentives.platform.audit.AuditTrail;
import com.acme.incentives.platform.events.Outbox;
import com.acme.incentives.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * An operator's hold and release of a payment (payout-service/README.md "Operators' holds"). The hold is a fact on the
 * payment ({@code operator_hold_*}) that every later run includes in the hold reasons (OPERATOR_HOLD), so the payment
 * stays held until an operator releases it; the release only takes the fact away, and the next run issues the payment
 * if no other reason remains (a payment is issued only by a run). Above {@code payout.release.four-eyes-above} (USD at
 * the payment period's exchange rate; the amount as is when the period has no rate for its currency) a release needs
 * two operators: the first one's is only recorded, the second (another) one's releases. Each step locks the payment
 * row, so two operators acting at once are serialised: one requests, the other approves; neither approves their own.
 */
@ApplicationScoped
public class OperatorHolds {

    /** What an operator's release did. */
    public enum Outcome {
        /** The operator hold is gone; the next run decides the rest. */
        RELEASED,
        /** Above the threshold: recorded, waiting for another operator. */
        PENDING,
        /** The operator who asked for the release asked again: refused, and recorded as refused. */
        REFUSED
    }

    /** The history's {@code action} of an operator's change. */
    static final String HOLD = "HOLD";
    static final String RELEASE_REQUESTED = "RELEASE_REQUESTED";
    static final String RELEASE_APPROVED = "RELEASE_APPROVED";
    static final String RELEASED = "RELEASED";
    static final String RELEASE_REFUSED = "RELEASE_REFUSED";

    @Inject
    Jdbi jdbi;

    @Inject
    Outbox outbox;

    @Inject
    PaymentLedger ledger;

    @Inject
    ExchangeRateService exchangeRates;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    @ConfigProperty(name = "payout.release.four-eyes-above")
    BigDecimal fourEyesAboveUsd;

    @Inject
    PayoutRunSettings runSettings;

    private record Locked(UUID id, PaymentStatus status, List<String> reasons, Instant heldSince, BigDecimal amount,
            String currency, String period, UUID organizationId, String partnerId, String programId,
            String earningType, UUID payoutRunId, String heldBy, String releaseRequestedBy) {
    }

    /**
     * Holds a payment not yet in a bank file: UPCOMING (it then waits for a run's release instead of this run's bank
     * file, and its hold starts now) or ON_HOLD (OPERATOR_HOLD joins its reasons; its hold keeps its start).
     */
    @Transactional
    public void hold(UUID paymentId, String operator, String reason) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (Handle h = jdbi.open()) {
            Locked p = lock(h, paymentId);
            if (p.heldBy() != null) {
                throw ApiException.conflict(PayoutMessages.PAYMENT_ALREADY_OPERATOR_HELD, paymentId);
            }
            if (p.status() != PaymentStatus.UPCOMING && p.status() != PaymentStatus.ON_HOLD) {
                throw ApiException.conflict(PayoutMessages.PAYMENT_NOT_HOLDABLE, paymentId, p.status())
                        .with("paymentStatus", p.status().name());
            }
            if (p.status() == PaymentStatus.UPCOMING) {
                // One open payment per group (payment_one_open_per_group): new earnings roll into the held one.
                UUID open = openPaymentOfGroup(h, p);
                if (open != null) {
                    throw ApiException.conflict(PayoutMessages.PAYMENT_GROUP_HELD, paymentId, open)
                            .with("heldPaymentId", open);
                }
            }
            List<String> reasons = new ArrayList<>(p.reasons());
            reasons.add(HoldReason.OPERATOR_HOLD.name());
            reasons.sort(Comparator.comparing(r -> HoldReason.valueOf(r).ordinal()));
            Instant heldSince = p.status() == PaymentStatus.ON_HOLD && p.heldSince() != null ? p.heldSince() : now;
            PaymentStatus next = ledger.operatorHold(h, p.id(), p.status(), p.amount(), reasons, heldSince,
                    new PaymentLedger.OperatorStep(operator, HOLD, reason, "held by an operator"), now);
            held(p, reasons, heldSince, now);
            audit(p, "PAYMENT_HELD_BY_OPERATOR", reason, next, reasons);
        } catch (JdbiException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Releases an operator's hold, or above the threshold records the first operator's release (PENDING) and refuses
     * (REFUSED, recorded) that operator's second one. Its own transaction, whatever the caller's (the Idempotency-Key
     * record's): a refusal is answered as a 409 by the caller, and its history row must stay.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Outcome release(UUID paymentId, String operator, String reason) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (Handle h = jdbi.open()) {
            Locked p = lock(h, paymentId);
            if (p.heldBy() == null || p.status() != PaymentStatus.ON_HOLD) {
                throw ApiException.conflict(PayoutMessages.PAYMENT_NOT_OPERATOR_HELD, paymentId)
                        .with("paymentStatus", p.status().name());
            }
            if (needsFourEyes(p) && !operator.equals(p.releaseRequestedBy())) {
                if (p.releaseRequestedBy() == null) {
                    ledger.operatorReleaseRequest(h, p.id(), p.amount(), p.reasons(), new PaymentLedger.OperatorStep(
                            operator, RELEASE_REQUESTED, reason,
                            "release asked for: another operator must approve it (four eyes)"), now);
                    audit(p, "PAYMENT_RELEASE_REQUESTED", reason, PaymentStatus.ON_HOLD, p.reasons());
                    return Outcome.PENDING;
                }
                return release(h, p, operator, reason, RELEASE_APPROVED,
                        "operator hold released: approved by a second operator", now);
            }
            if (needsFourEyes(p)) {
                ledger.operatorRefusal(h, p.id(), p.amount(), p.reasons(), new PaymentLedger.OperatorStep(operator,
                        RELEASE_REFUSED, reason, "release refused: the operator who asked for it cannot approve it"),
                        now);
                // This transaction commits (the caller answers 409 after it), so the refusal stays on record.
                audit(p, "PAYMENT_RELEASE_REFUSED", reason, PaymentStatus.ON_HOLD, p.reasons());
                return Outcome.REFUSED;
            }
            return release(h, p, operator, reason, RELEASED, "operator hold released", now);
        } catch (JdbiException e) {
            throw new IllegalStateException(e);
        }
    }

    private Outcome release(Handle h, Locked p, String operator, String reason, String action, String note,
            Instant now) {
        List<String> reasons = p.reasons().stream().filter(r -> !r.equals(HoldReason.OPERATOR_HOLD.name())).toList();
        ledger.operatorRelease(h, p.id(), p.amount(), reasons, new PaymentLedger.OperatorStep(operator, action,
                reason, note), now);
        audit(p, RELEASE_APPROVED.equals(action) ? "PAYMENT_RELEASE_APPROVED" : "PAYMENT_RELEASED", reason,
                PaymentStatus.ON_HOLD, reasons);
        // The partner hears of the reasons that still hold it; with none left, the next run issues it (PaymentIssued).
        if (!reasons.isEmpty()) {
            held(p, reasons, p.heldSince() == null ? now : p.heldSince(), now);
        }
        return Outcome.RELEASED;
    }

    private boolean needsFourEyes(Locked p) {
        BigDecimal usdRate = exchangeRates.rates(YearMonth.parse(p.period())).get(p.currency());
        BigDecimal compared = usdRate == null ? p.amount() : p.amount().multiply(usdRate);
        return compared.compareTo(fourEyesAboveUsd) > 0;
    }

    private static Locked lock(Handle h, UUID paymentId) {
        return h.createQuery("""
                SELECT status, hold_reasons, held_since, amount, currency, period, organization_id, partner_id,
                       program_id, earning_type, payout_run_id, operator_hold_by, release_requested_by
                FROM payment WHERE id = :paymentId AND status <> 'NEW' FOR UPDATE""")
                .bind("paymentId", paymentId)
                .map((rs, ctx) -> {
                    Timestamp held = rs.getTimestamp(3);
                    return new Locked(paymentId, PaymentStatus.valueOf(rs.getString(1)),
                            Arrays.asList((String[]) rs.getArray(2).getArray()), held == null ? null : held.toInstant(),
                            rs.getBigDecimal(4), rs.getString(5), rs.getString(6),
                            rs.getObject(7, UUID.class), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getObject(11, UUID.class), rs.getString(12), rs.getString(13));
                })
                .findFirst()
                .orElseThrow(() -> ApiException.notFound(PayoutMessages.PAYMENT_NOT_FOUND, paymentId));
    }

    private static UUID openPaymentOfGroup(Handle h, Locked p) {
        return h.createQuery("""
                SELECT id FROM payment WHERE partner_id = :partnerId AND program_id = :programId
                  AND earning_type = :earningType AND currency = :currency
                  AND status IN ('NEW', 'ON_HOLD') AND id <> :paymentId""")
                .bind("partnerId", p.partnerId())
                .bind("programId", p.programId())
                .bind("earningType", p.earningType())
                .bind("currency", p.currency())
                .bind("paymentId", p.id())
                .map((rs, ctx) -> rs.getObject(1, UUID.class))
                .findFirst()
                .orElse(null);
    }

    /** The step in the organization's audit log: the operator's reason, and where the payment stands after it. */
    private void audit(Locked p, String action, String reason, PaymentStatus status, List<String> reasons) {
        audit.record(p.organizationId(), action, "PAYMENT", p.id().toString(), AuditTrail.details(
                "partnerId", p.partnerId(), "programId", p.programId(), "period", p.period(),
                "amount", Codes.money(p.amount(), p.currency()).toPlainString(), "currency", p.currency(),
                "reason", reason, "status", status.name(), "holdReasons", reasons));
    }

    /** PaymentHeld as a run publishes it when the reasons change; payoutRunId: the run that made the payment. */
    private void held(Locked p, List<String> reasons, Instant heldSince, Instant now) {
        outbox.publish(p.partnerId(), "PaymentHeld", new PaymentHeld(p.id(), p.payoutRunId(), p.organizationId(),
                p.partnerId(), p.programId(), p.earningType(), p.period(),
                Codes.money(p.amount(), p.currency()).toPlainString(), p.currency(), now, reasons, heldSince,
                heldSince.plus(Duration.ofDays(runSettings.forfeitAfterDays()))));
    }
}
