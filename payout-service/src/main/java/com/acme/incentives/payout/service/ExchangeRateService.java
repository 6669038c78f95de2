package com.acme.incentives.payout.service;

import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Operator-set monthly rates, as US dollars per unit of a currency. USD is always 1 and need not be set. A PUT
 * replaces the period's whole set, so what a GET shows is exactly what the operator last sent.
 */
@ApplicationScoped
public class ExchangeRateService {

    private static final BigDecimal MAX_RATE = new BigDecimal("1000000000");

    @Inject
    Jdbi jdbi;

    @Inject
    Clock clock;

    @Transactional
    public Map<String, BigDecimal> replace(YearMonth period, Map<String, String> rates, String subject) {
        List<FieldViolation> errors = new ArrayList<>();
        Map<String, BigDecimal> parsed = new TreeMap<>();
        rates.forEach((currency, text) -> {
            String field = "rates." + currency;
            if (!Codes.isCurrency(currency)) {
                errors.add(FieldViolation.of(field, PayoutMessages.UNKNOWN_CURRENCY));
                return;
            }
            BigDecimal rate;
            try {
                rate = text == null ? null : new BigDecimal(text);
            } catch (NumberFormatException e) {
                rate = null;
            }
            if (rate == null || rate.signum() <= 0 || rate.stripTrailingZeros().scale() > 10
                    || rate.compareTo(MAX_RATE) >= 0) {
                errors.add(FieldViolation.of(field, PayoutMessages.EXCHANGE_RATE_FORMAT));
            } else if (currency.equals("USD") && rate.compareTo(BigDecimal.ONE) != 0) {
                errors.add(FieldViolation.of(field, PayoutMessages.USD_RATE));
            } else {
                parsed.put(currency, rate);
            }
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        try (Handle h = jdbi.open();
                PreparedBatch insert = h.prepareBatch("INSERT INTO exchange_rate (period, currency, usd_rate,"
                        + " set_at, set_by) VALUES (:period, :currency, :usdRate, :setAt, :setBy)")) {
            h.createUpdate("DELETE FROM exchange_rate WHERE period = :period")
                    .bind("period", period)
                    .execute();
            Instant now = clock.instant();
            for (var e : parsed.entrySet()) {
                insert.bind("period", period)
                        .bind("currency", e.getKey())
                        .bind("usdRate", e.getValue())
                        .bind("setAt", now)
                        .bind("setBy", subject)
                        .add();
            }
            insert.execute();
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not store exchange rates", e);
        }
        return rates(period);
    }

    /** The period's rates, USD included (always 1). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, BigDecimal> rates(YearMonth period) {
        Map<String, BigDecimal> result = new TreeMap<>();
        try (Handle h = jdbi.open()) {
            h.createQuery("SELECT currency, usd_rate FROM exchange_rate WHERE period = :period")
                    .bind("period", period)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBigDecimal(2).stripTrailingZeros()))
                    .forEach(rate -> result.put(rate.getKey(), rate.getValue()));
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not read exchange rates", e);
        }
        result.put("USD", BigDecimal.ONE);
        return result;
    }
}
