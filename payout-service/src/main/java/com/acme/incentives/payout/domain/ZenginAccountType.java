package com.acme.incentives.payout.domain;

/**
 * The type (預金種目) of a Japanese bank account, as the Zengin system routes a transfer: ORDINARY is 普通 (futsū, the
 * everyday demand deposit most accounts are), CURRENT is 当座 (tōza, the non-interest cheque account of businesses).
 */
public enum ZenginAccountType {
    ORDINARY,
    CURRENT;

    /**
     * The ISO 20022 ExternalCashAccountType1Code a pain.001 gives it ({@code CdtrAcct/Tp/Cd}). The external list has
     * no "ordinary deposit": 普通預金 is an interest-bearing demand deposit, which the list calls SVGS (savings), and
     * 当座預金 is the current (cheque) account, CACC. An external code rather than {@code Tp/Prtry} so any bank reads
     * it without a bilateral agreement; the receiving bank maps them to Zengin's 預金種目 1 (普通) and 2 (当座).
     */
    public String iso20022Code() {
        return this == CURRENT ? "CACC" : "SVGS";
    }

    public static boolean isName(String value) {
        for (ZenginAccountType t : values()) {
            if (t.name().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
