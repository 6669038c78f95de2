package com.acme.incentives.e2e.support;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Earning lines as the billing system pushes them (POST /api/v1/earnings/batch): a EUR rebate dated today. */
public final class Earnings {

    private Earnings() {
    }

    public static Map<String, Object> rebate(String partnerId, String programId, String amount) {
        Map<String, Object> line = new HashMap<>();
        line.put("earningId", "E-" + UUID.randomUUID());
        line.put("partnerId", partnerId);
        line.put("programId", programId);
        line.put("type", "REBATE");
        line.put("lever", "CSP-NCE");
        line.put("transactionId", "T-" + UUID.randomUUID());
        line.put("transactionDate", LocalDate.now(ZoneOffset.UTC).toString());
        line.put("transactionAmount", "10000.00");
        line.put("transactionCurrency", "EUR");
        line.put("rate", "0.05");
        line.put("earningAmount", amount);
        line.put("earningCurrency", "EUR");
        line.put("customer", "Northwind");
        line.put("product", "Dynamics 365 Sales");
        return line;
    }
}
