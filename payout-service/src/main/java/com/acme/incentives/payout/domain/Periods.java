package com.acme.incentives.payout.domain;

import java.time.YearMonth;
import java.util.Optional;
import java.util.regex.Pattern;

/** Payout periods are calendar months written YYYY-MM. */
public final class Periods {

    /** The written form, as the API documents it (a constant, so that OpenAPI annotations can name it). */
    public static final String PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])$";

    private static final Pattern MONTH = Pattern.compile(PATTERN);

    private Periods() {
    }

    public static Optional<YearMonth> parse(String period) {
        if (period == null || !MONTH.matcher(period).matches()) {
            return Optional.empty();
        }
        return Optional.of(YearMonth.parse(period));
    }
}
