package com.acme.incentives.payout.domain;

import com.acme.incentives.payout.domain.RunDecision.ForfeitReason;
import com.acme.incentives.payout.events.PaymentEvents.PaymentForfeited;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static com.acme.incentives.payout.domain.PaymentStatus.FORFEITED;
import static com.acme.incentives.payout.domain.PaymentStatus.NEW;
import static com.acme.incentives.payout.domain.PaymentStatus.ON_HOLD;
import static com.acme.incentives.payout.domain.PaymentStatus.UPCOMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docs/product.md "Payout runs and payments": what a run does with each open payment, without a database. */
class RunDecisionTest {

    private static final Instant NOW = Instant.parse("2026-03-05T10:00:00Z");
    private static final int FORFEIT_AFTER = 180;
    private static final List<String> NONE = List.of();
    private static final List<String> PARTNER_HOLD = List.of("PARTNER_HOLD");

    @Test
    void aNewPaymentWithoutReasonsIsIssued() {
        RunDecision d = RunDecision.decide(NEW, 3, NONE, null, NOW, FORFEIT_AFTER);
        assertThat(d.next()).isEqualTo(UPCOMING);
        assertThat(d.note()).isEqualTo("issued");
        assertThat(d.forfeitReason()).isNull();
        assertThat(d.releases()).isFalse();
    }

    @Test
    void aNewPaymentWithAReasonIsHeldFromNow() {
        RunDecision d = RunDecision.decide(NEW, 3, PARTNER_HOLD, null, NOW, FORFEIT_AFTER);
        assertThat(d.next()).isEqualTo(ON_HOLD);
        assertThat(d.note()).isEqualTo("held");
        assertThat(d.heldSince(null, NOW)).isEqualTo(NOW);
    }

    @Test
    void aHeldPaymentWhoseReasonsClearedIsReleasedByThisRun() {
        Instant since = NOW.minus(Duration.ofDays(10));
        RunDecision d = RunDecision.decide(ON_HOLD, 3, NONE, since, NOW, FORFEIT_AFTER);
        assertThat(d.next()).isEqualTo(UPCOMING);
        assertThat(d.note()).isEqualTo("released: every hold cleared");
        assertThat(d.releases()).isTrue();
        // An issued payment keeps when it was first held: its history says how long it waited.
        assertThat(d.heldSince(since, NOW)).isEqualTo(since);
    }

    @Test
    void aHeldPaymentStaysHeldWithItsFirstHoldDate() {
        Instant since = NOW.minus(Duration.ofDays(FORFEIT_AFTER));
        RunDecision d = RunDecision.decide(ON_HOLD, 3, PARTNER_HOLD, since, NOW, FORFEIT_AFTER);
        assertThat(d.next()).isEqualTo(ON_HOLD);
        assertThat(d.note()).isEqualTo("still held");
        assertThat(d.heldSince(since, NOW)).isEqualTo(since);
    }

    @Test
    void aPaymentHeldLongerThanTheForfeitPeriodIsForfeited() {
        Instant since = NOW.minus(Duration.ofDays(FORFEIT_AFTER)).minusSeconds(1);
        RunDecision d = RunDecision.decide(ON_HOLD, 3, PARTNER_HOLD, since, NOW, FORFEIT_AFTER);
        assertThat(d.next()).isEqualTo(FORFEITED);
        assertThat(d.note()).isEqualTo("forfeited after 180 days on hold");
        assertThat(d.forfeitReason()).isEqualTo(ForfeitReason.HELD_TOO_LONG);
    }

    @Test
    void aHeldPaymentWhoseReasonsClearedIsIssuedEvenAfterTheForfeitPeriod() {
        RunDecision d = RunDecision.decide(ON_HOLD, 3, NONE, NOW.minus(Duration.ofDays(400)), NOW, FORFEIT_AFTER);
        assertThat(d.next()).isEqualTo(UPCOMING);
    }

    @Test
    void aHeldPaymentLeftWithoutEarningsIsForfeitedWhateverItsReasons() {
        for (List<String> reasons : List.of(NONE, PARTNER_HOLD)) {
            RunDecision d = RunDecision.decide(ON_HOLD, 0, reasons, NOW, NOW, FORFEIT_AFTER);
            assertThat(d.next()).isEqualTo(FORFEITED);
            assertThat(d.forfeitReason()).isEqualTo(ForfeitReason.BEFORE_EARNINGS_START);
            assertThat(d.note()).contains("predates the earnings start date");
        }
    }

    @Test
    void aNewPaymentIsNeverForfeitedByTheRunsDecision() {
        // Pre-start earnings of an unheld group were forfeited on their own payment before the claim.
        assertThat(RunDecision.decide(NEW, 0, PARTNER_HOLD, null, NOW, FORFEIT_AFTER).next()).isEqualTo(ON_HOLD);
    }

    @Test
    void onlyAnOpenPaymentCanBeDecided() {
        // UPCOMING → ON_HOLD is a step of the state machine (an operator's hold), but never a run's decision.
        assertThatThrownBy(() -> RunDecision.decide(UPCOMING, 1, PARTNER_HOLD, null, NOW, FORFEIT_AFTER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UPCOMING");
        assertThatThrownBy(() -> RunDecision.decide(FORFEITED, 1, NONE, null, NOW, FORFEIT_AFTER))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theForfeitReasonsAreTheEventsReasons() {
        assertThat(ForfeitReason.HELD_TOO_LONG.name()).isEqualTo(PaymentForfeited.HELD_TOO_LONG);
        assertThat(ForfeitReason.BEFORE_EARNINGS_START.name()).isEqualTo(PaymentForfeited.BEFORE_EARNINGS_START);
    }

    @Test
    void aStillHeldPaymentChangesOnlyWhenItsReasonsOrAmountDo() {
        RunDecision d = RunDecision.decide(ON_HOLD, 3, PARTNER_HOLD, NOW, NOW, FORFEIT_AFTER);
        AtomicBoolean asked = new AtomicBoolean();
        assertThat(d.changes(PARTNER_HOLD, List.of("PARTNER_HOLD", "BELOW_THRESHOLD"), () -> {
            asked.set(true);
            return false;
        })).isTrue();
        // The amount is read from history only when nothing else changed.
        assertThat(asked).isFalse();
        assertThat(d.changes(PARTNER_HOLD, PARTNER_HOLD, () -> false)).isFalse();
        assertThat(d.changes(PARTNER_HOLD, PARTNER_HOLD, () -> true)).isTrue();
    }

    @Test
    void aNewPaymentAlwaysChanges() {
        RunDecision d = RunDecision.decide(NEW, 3, PARTNER_HOLD, null, NOW, FORFEIT_AFTER);
        assertThat(d.changes(PARTNER_HOLD, PARTNER_HOLD, () -> false)).isTrue();
    }

    @Test
    void aPayoutInTheEarningsOwnCurrencyIsTheAmountAsIs() {
        RunDecision.Payout p = RunDecision.payout(new BigDecimal("1234.5678"), "EUR", new BigDecimal("1.08"), "EUR",
                new BigDecimal("1.08"));
        assertThat(p.currency()).isEqualTo("EUR");
        assertThat(p.amount()).isEqualByComparingTo("1234.5678");
        assertThat(p.exchangeRate()).isEqualTo(new BigDecimal("1.0000000000"));
    }

    @Test
    void aPayoutInAnotherCurrencyIsConvertedThroughUsdToThatCurrencysScale() {
        // 100 EUR at 1.08 USD/EUR, paid in JPY at 0.0067 USD/JPY: 100 × (1.08 / 0.0067) = 16119.40… → 16119 (scale 0).
        RunDecision.Payout p = RunDecision.payout(new BigDecimal("100.00"), "EUR", new BigDecimal("1.08"), "JPY",
                new BigDecimal("0.0067"));
        assertThat(p.currency()).isEqualTo("JPY");
        assertThat(p.amount()).isEqualTo(new BigDecimal("16119"));
        assertThat(p.exchangeRate()).isEqualTo(new BigDecimal("161.1940298507"));
    }

    @Test
    void aConversionRoundsHalfEven() {
        // 0.125 USD → EUR at a rate of exactly 1: 0.125 at scale 2 is 0.12 (half to even), not 0.13.
        RunDecision.Payout p = RunDecision.payout(new BigDecimal("0.125"), "USD", BigDecimal.ONE, "EUR",
                BigDecimal.ONE);
        assertThat(p.amount()).isEqualTo(new BigDecimal("0.12"));
    }
}
