package com.acme.incentives.payout.domain;

import java.math.BigInteger;
import java.util.regex.Pattern;

/** Format checks of bank identifiers: IBAN (ISO 13616 mod-97), BIC (ISO 9362 shape), US ABA routing checksum. */
public final class BankChecks {

    private static final Pattern IBAN = Pattern.compile("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}");
    private static final Pattern BIC = Pattern.compile("[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}([A-Z0-9]{3})?");
    private static final Pattern ROUTING = Pattern.compile("[0-9]{9}");
    private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

    private BankChecks() {
    }

    /** Spaces are common in printed IBANs; they are not part of it. */
    public static String normalizeIban(String iban) {
        return iban == null ? null : iban.replace(" ", "").toUpperCase();
    }

    public static boolean isIban(String iban) {
        if (iban == null || !IBAN.matcher(iban).matches() || !Codes.isCountry(iban.substring(0, 2))) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder digits = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            digits.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue() == 1;
    }

    public static boolean isBic(String bic) {
        if (bic == null) {
            return false;
        }
        var m = BIC.matcher(bic);
        return m.matches() && Codes.isCountry(m.group(1));
    }

    public static String bicCountry(String bic) {
        return bic.substring(4, 6);
    }

    /** ABA checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) is a multiple of 10. */
    public static boolean isRoutingNumber(String routing) {
        if (routing == null || !ROUTING.matcher(routing).matches()) {
            return false;
        }
        int[] d = routing.chars().map(c -> c - '0').toArray();
        int sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
        return sum % 10 == 0;
    }
}
