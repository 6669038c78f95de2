package com.acme.incentives.payout.service;

import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
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
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    @Transactional
    public Map<String, BigDecimal> replace(String period, Map<String, String> rates, String subject) {
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
        try (Connection c = dataSource.getConnection();
                PreparedStatement delete = c.prepareStatement("DELETE FROM exchange_rate WHERE period = ?");
                PreparedStatement insert = c.prepareStatement("INSERT INTO exchange_rate (period, currency, usd_rate,"
                        + " set_at, set_by) VALUES (?, ?, ?, ?, ?)")) {
            delete.setString(1, period);
            delete.executeUpdate();
            Timestamp now = Timestamp.from(clock.instant());
            for (var e : parsed.entrySet()) {
                insert.setString(1, period);
                insert.setString(2, e.getKey());
                insert.setBigDecimal(3, e.getValue());
                insert.setTimestamp(4, now);
                insert.setString(5, subject);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store exchange rates", e);
        }
        return rates(period);
    }

    /** The period's rates, USD included (always 1). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, BigDecimal> rates(String period) {
        Map<String, BigDecimal> result = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT currency, usd_rate FROM exchange_rate WHERE period = ?")) {
            select.setString(1, period);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getBigDecimal(2).stripTrailingZeros());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read exchange rates", e);
        }
        result.put("USD", BigDecimal.ONE);
        return result;
    }
}
