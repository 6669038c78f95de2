package com.acme.incentives.payout.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** ISO code checks and the money scale rule shared by every payout computation. */
public final class Codes {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    // Funds, precious metals and test codes are ISO 4217 codes but no one is paid in them.
    private static final Set<String> NOT_PAYABLE = Set.of("XAU", "XAG", "XPT", "XPD", "XTS", "XXX", "XDR", "XSU",
            "XUA", "XBA", "XBB", "XBC", "XBD", "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW");
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).filter(c -> !NOT_PAYABLE.contains(c)).collect(Collectors.toSet());

    private Codes() {
    }

    public static boolean isCountry(String code) {
        return code != null && COUNTRIES.contains(code);
    }

    public static boolean isCurrency(String code) {
        return code != null && CURRENCIES.contains(code);
    }

    /** The currency's minor-unit scale (JPY 0, EUR 2, BHD 3). */
    public static int scale(String currency) {
        return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    }

    /** Whether the amount has no more decimals than the currency allows (trailing zeros do not count). */
    public static boolean fitsScale(BigDecimal amount, String currency) {
        return amount.stripTrailingZeros().scale() <= scale(currency);
    }

    public static BigDecimal money(BigDecimal amount, String currency) {
        return amount.setScale(scale(currency), RoundingMode.HALF_EVEN);
    }
}
