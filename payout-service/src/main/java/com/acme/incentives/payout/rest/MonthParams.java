package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.domain.Periods;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.i18n.PlatformMessages;

import java.time.YearMonth;
import java.util.List;

/**
 * A month given in a path, a query or a body ({@code YYYY-MM}, {@link Periods#PATTERN}), read once at the edge: the
 * services take a {@link YearMonth}, and a malformed month is a 400 naming its field.
 */
final class MonthParams {

    private MonthParams() {
    }

    /** The month, or a 400 for {@code field} at once. */
    static YearMonth required(String field, String value) {
        return Periods.parse(value).orElseThrow(() -> ApiException.invalidField(field, PlatformMessages.MONTH_FORMAT));
    }

    /** The month, or null when absent; a malformed one adds its violation to {@code errors} (reported with others). */
    static YearMonth optional(String field, String value, List<FieldViolation> errors) {
        if (value == null) {
            return null;
        }
        YearMonth month = Periods.parse(value).orElse(null);
        if (month == null) {
            errors.add(FieldViolation.of(field, PlatformMessages.MONTH_FORMAT));
        }
        return month;
    }
}
