package com.acme.incentives.payout.domain;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Format checks of bank identifiers: IBAN (ISO 13616 mod-97), BIC (ISO 9362 shape), US ABA routing checksum, and the
 * domestic identifiers of Japan (Zengin bank, branch and account numbers, the holder's name in Zengin characters) and
 * Korea (bank code, account number).
 */
public final class BankChecks {

    private static final Pattern IBAN = Pattern.compile("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}");
    private static final Pattern BIC = Pattern.compile("[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}([A-Z0-9]{3})?");
    private static final Pattern ROUTING = Pattern.compile("[0-9]{9}");
    private static final Pattern JP_BANK_CODE = Pattern.compile("[0-9]{4}");
    private static final Pattern JP_BRANCH_CODE = Pattern.compile("[0-9]{3}");
    private static final Pattern JP_ACCOUNT_NUMBER = Pattern.compile("[0-9]{7}");
    /**
     * The characters a Zengin transfer carries in the beneficiary's name (受取人名): half-width katakana U+FF66–U+FF9F
     * (ｦ to ﾟ, small kana, the long-vowel mark and the voicing marks ﾞ ﾟ included), upper-case A–Z, digits, space and
     * ( ) . , - /. Full-width or lower-case letters are refused rather than converted: the name must be the one the
     * bank holds, and a conversion guessed here could make it another.
     */
    private static final Pattern ZENGIN_NAME = Pattern.compile("[\\uFF66-\\uFF9FA-Z0-9 ().,\\-/]+");
    private static final Pattern KR_BANK_CODE = Pattern.compile("[0-9]{3}");
    private static final Pattern KR_ACCOUNT_INPUT = Pattern.compile("[0-9]+(-[0-9]+)*");
    private static final Pattern KR_ACCOUNT_NUMBER = Pattern.compile("[0-9]{10,14}");
    /**
     * The beneficiary name field of the Zengin record (総合振込 data record, 受取人名) is 30 half-width characters; a
     * voiced kana written with its mark (ｶﾞ) counts two. Longer names are abbreviated by the holder's bank, not here.
     */
    public static final int ZENGIN_NAME_MAX = 30;
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

    /** A Zengin bank code (金融機関コード): 4 digits, e.g. 0005. */
    public static boolean isZenginBankCode(String code) {
        return code != null && JP_BANK_CODE.matcher(code).matches();
    }

    /** A Zengin branch code (支店コード): 3 digits. */
    public static boolean isZenginBranchCode(String code) {
        return code != null && JP_BRANCH_CODE.matcher(code).matches();
    }

    /** A Japanese account number (口座番号): 7 digits. */
    public static boolean isZenginAccountNumber(String number) {
        return number != null && JP_ACCOUNT_NUMBER.matcher(number).matches();
    }

    /** A holder's name in Zengin characters, 1 to 30 of them, not only spaces. */
    public static boolean isZenginName(String name) {
        return name != null && name.length() <= ZENGIN_NAME_MAX && !name.isBlank()
                && ZENGIN_NAME.matcher(name).matches();
    }

    /** A Korean bank code (은행 코드): 3 digits, e.g. 004 KB Kookmin, 088 Shinhan, 020 Woori, 081 Hana. */
    public static boolean isKoreanBankCode(String code) {
        return code != null && KR_BANK_CODE.matcher(code).matches();
    }

    /**
     * Korean account numbers are printed in groups (123-456-789012), the grouping differing per bank; the hyphens
     * are not part of the number. Anything but digit groups separated by single hyphens is returned as it is, for
     * {@link #isKoreanAccountNumber} to refuse.
     */
    public static String normalizeKoreanAccount(String number) {
        return number != null && KR_ACCOUNT_INPUT.matcher(number).matches() ? number.replace("-", "") : number;
    }

    /** A normalised Korean account number: 10 to 14 digits. */
    public static boolean isKoreanAccountNumber(String number) {
        return number != null && KR_ACCOUNT_NUMBER.matcher(number).matches();
    }
}
