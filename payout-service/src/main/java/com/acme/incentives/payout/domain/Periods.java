package com.acme.incentives.payout.domain;

import java.time.YearMonth;
import java.util.Optional;

/** Payout periods are calendar months written YYYY-MM. */
public final class Periods {

    private Periods() {
    }

    public static Optional<YearMonth> parse(String period) {
        if (period == null || !period.matches("[0-9]{4}-(0[1-9]|1[0-2])")) {
            return Optional.empty();
        }
        return Optional.of(YearMonth.parse(period));
    }
}
