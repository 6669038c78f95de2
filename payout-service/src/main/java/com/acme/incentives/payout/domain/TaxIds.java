package com.acme.incentives.payout.domain;

import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.payout.PayoutMessages;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tax ID formats per docs/product.md "Tax profiles": a US EIN is {@code NN-NNNNNNN}; an EU VAT number carries its
 * country prefix (Greece: {@code EL}) followed by the country's national pattern (VIES formats); anything else 5 to 20
 * letters, digits, dots, dashes or slashes.
 */
public final class TaxIds {

    private static final Pattern EIN = Pattern.compile("[0-9]{2}-[0-9]{7}");
    private static final Pattern OTHER = Pattern.compile("[A-Z0-9./-]{5,20}");
    private static final Map<String, Pattern> EU_VAT = Map.ofEntries(
            Map.entry("AT", Pattern.compile("ATU[0-9]{8}")),
            Map.entry("BE", Pattern.compile("BE[01][0-9]{9}")),
            Map.entry("BG", Pattern.compile("BG[0-9]{9,10}")),
            Map.entry("CY", Pattern.compile("CY[0-9]{8}[A-Z]")),
            Map.entry("CZ", Pattern.compile("CZ[0-9]{8,10}")),
            Map.entry("DE", Pattern.compile("DE[0-9]{9}")),
            Map.entry("DK", Pattern.compile("DK[0-9]{8}")),
            Map.entry("EE", Pattern.compile("EE[0-9]{9}")),
            Map.entry("GR", Pattern.compile("EL[0-9]{9}")),
            Map.entry("ES", Pattern.compile("ES[0-9A-Z][0-9]{7}[0-9A-Z]")),
            Map.entry("FI", Pattern.compile("FI[0-9]{8}")),
            Map.entry("FR", Pattern.compile("FR[0-9A-Z]{2}[0-9]{9}")),
            Map.entry("HR", Pattern.compile("HR[0-9]{11}")),
            Map.entry("HU", Pattern.compile("HU[0-9]{8}")),
            Map.entry("IE", Pattern.compile("IE[0-9][0-9A-Z+*][0-9]{5}[A-Z]{1,2}")),
            Map.entry("IT", Pattern.compile("IT[0-9]{11}")),
            Map.entry("LT", Pattern.compile("LT([0-9]{9}|[0-9]{12})")),
            Map.entry("LU", Pattern.compile("LU[0-9]{8}")),
            Map.entry("LV", Pattern.compile("LV[0-9]{11}")),
            Map.entry("MT", Pattern.compile("MT[0-9]{8}")),
            Map.entry("NL", Pattern.compile("NL[0-9]{9}B[0-9]{2}")),
            Map.entry("PL", Pattern.compile("PL[0-9]{10}")),
            Map.entry("PT", Pattern.compile("PT[0-9]{9}")),
            Map.entry("RO", Pattern.compile("RO[0-9]{2,10}")),
            Map.entry("SE", Pattern.compile("SE[0-9]{12}")),
            Map.entry("SI", Pattern.compile("SI[0-9]{8}")),
            Map.entry("SK", Pattern.compile("SK[0-9]{10}")));

    private TaxIds() {
    }

    /** Empty when the tax ID is valid for the country, otherwise what is wrong with it (as the field's error). */
    public static Optional<FieldViolation> problem(String field, String country, String taxId) {
        if (taxId == null || taxId.isBlank()) {
            return Optional.of(FieldViolation.of(field, PayoutMessages.TAX_ID_BLANK));
        }
        if ("US".equals(country)) {
            return EIN.matcher(taxId).matches() ? Optional.empty()
                    : Optional.of(FieldViolation.of(field, PayoutMessages.TAX_ID_EIN));
        }
        Pattern vat = EU_VAT.get(country);
        if (vat != null) {
            String prefix = "GR".equals(country) ? "EL" : country;
            return vat.matcher(taxId).matches() ? Optional.empty()
                    : Optional.of(FieldViolation.of(field, PayoutMessages.TAX_ID_EU_VAT, country, prefix));
        }
        return OTHER.matcher(taxId).matches() ? Optional.empty()
                : Optional.of(FieldViolation.of(field, PayoutMessages.TAX_ID_OTHER));
    }
}
