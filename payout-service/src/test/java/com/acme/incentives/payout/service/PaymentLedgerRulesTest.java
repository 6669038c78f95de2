package com.acme.incentives.payout.service;

import com.acme.incentives.payout.domain.PaymentStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ledger's pure rules: what history shows of a step's origin, and that a run's decision is checked when made. */
class PaymentLedgerRulesTest {

    @Test
    void historyNeverShowsNew() {
        assertThat(PaymentLedger.shownFrom(PaymentStatus.NEW)).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = PaymentStatus.class, names = "NEW", mode = EnumSource.Mode.EXCLUDE)
    void historyShowsEveryOtherOriginByName(PaymentStatus from) {
        assertThat(PaymentLedger.shownFrom(from)).isEqualTo(from.name());
    }

    @Test
    void aDecisionTheStateMachineRefusesCannotBeMade() {
        assertThatThrownBy(() -> decision(PaymentStatus.NEW, PaymentStatus.PAID))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("NEW to PAID");
        assertThatThrownBy(() -> decision(PaymentStatus.ON_HOLD, PaymentStatus.IN_PROGRESS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ON_HOLD to IN_PROGRESS");
    }

    @Test
    void aDecisionKeepsItsReasonsAsMade() {
        List<String> reasons = new ArrayList<>(List.of("PARTNER_HOLD"));
        PaymentLedger.Decision d = new PaymentLedger.Decision(UUID.randomUUID(), PaymentStatus.NEW,
                PaymentStatus.ON_HOLD, BigDecimal.TEN, reasons, null, null, null, null, null, null, "held");
        reasons.add("OPERATOR_HOLD");
        assertThat(d.holdReasons()).containsExactly("PARTNER_HOLD");
    }

    private static PaymentLedger.Decision decision(PaymentStatus from, PaymentStatus to) {
        return new PaymentLedger.Decision(UUID.randomUUID(), from, to, BigDecimal.ONE, List.of(), null, null, null,
                null, null, null, "note");
    }
}
