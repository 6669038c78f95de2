package com.acme.incentives.payout.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The format checks of bank identifiers, each with what it accepts and the near misses it refuses. */
class BankChecksTest {

    @Test
    void ibanNeedsItsShapeAKnownCountryAndMod97CheckDigits() {
        assertThat(BankChecks.isIban("DE89370400440532013000")).isTrue();
        assertThat(BankChecks.isIban(BankChecks.normalizeIban("de89 3704 0044 0532 0130 00"))).isTrue();
        assertThat(BankChecks.isIban("DE89370400440532013001")).isFalse();
        assertThat(BankChecks.isIban("XX89370400440532013000")).isFalse();
        assertThat(BankChecks.isIban("DE8937040044")).isFalse();
        assertThat(BankChecks.isIban(null)).isFalse();
    }

    @Test
    void bicHasEightOrElevenCharactersWithAKnownCountry() {
        assertThat(BankChecks.isBic("COBADEFF")).isTrue();
        assertThat(BankChecks.isBic("COBADEFFXXX")).isTrue();
        assertThat(BankChecks.isBic("COBAXXFF")).isFalse();
        assertThat(BankChecks.isBic("COBADEFFXX")).isFalse();
        assertThat(BankChecks.bicCountry("MHCBJPJT")).isEqualTo("JP");
    }

    @Test
    void abaRoutingNumberHasNineDigitsAndItsChecksum() {
        assertThat(BankChecks.isRoutingNumber("021000021")).isTrue();
        assertThat(BankChecks.isRoutingNumber("021000022")).isFalse();
        assertThat(BankChecks.isRoutingNumber("02100002")).isFalse();
    }

    @Test
    void zenginCodesAndAccountNumberAreExactlyTheirDigits() {
        assertThat(BankChecks.isZenginBankCode("0005")).isTrue();
        assertThat(BankChecks.isZenginBankCode("005")).isFalse();
        assertThat(BankChecks.isZenginBankCode("00051")).isFalse();
        assertThat(BankChecks.isZenginBankCode("000A")).isFalse();
        assertThat(BankChecks.isZenginBankCode(null)).isFalse();
        assertThat(BankChecks.isZenginBranchCode("001")).isTrue();
        assertThat(BankChecks.isZenginBranchCode("01")).isFalse();
        assertThat(BankChecks.isZenginBranchCode("0001")).isFalse();
        assertThat(BankChecks.isZenginAccountNumber("1234567")).isTrue();
        assertThat(BankChecks.isZenginAccountNumber("123456")).isFalse();
        assertThat(BankChecks.isZenginAccountNumber("12345678")).isFalse();
        assertThat(BankChecks.isZenginAccountNumber("123-4567")).isFalse();
        // Full-width digits are digits to Unicode, not to Zengin.
        assertThat(BankChecks.isZenginAccountNumber("１２３４５６７")).isFalse();
    }

    @Test
    void zenginNameIsHalfWidthKanaUpperCaseLettersDigitsAndTheZenginPunctuation() {
        assertThat(BankChecks.isZenginName("ｶ)ｱｸﾒ")).isTrue();
        assertThat(BankChecks.isZenginName("ﾔﾏﾀﾞ ﾀﾛｳ")).isTrue();
        assertThat(BankChecks.isZenginName("ｶﾌﾞｼｷｶﾞｲｼﾔ ACME-JAPAN (2).,/")).isTrue();
        assertThat(BankChecks.isZenginName("ｦｧｰﾟ")).isTrue();
        // Full-width katakana, hiragana, kanji, lower case and other punctuation are not Zengin characters.
        assertThat(BankChecks.isZenginName("ヤマダ タロウ")).isFalse();
        assertThat(BankChecks.isZenginName("やまだ")).isFalse();
        assertThat(BankChecks.isZenginName("山田太郎")).isFalse();
        assertThat(BankChecks.isZenginName("ﾔﾏﾀﾞ taro")).isFalse();
        assertThat(BankChecks.isZenginName("ACME&CO")).isFalse();
        assertThat(BankChecks.isZenginName("ｱ｡")).isFalse();
        assertThat(BankChecks.isZenginName("ＡＣＭＥ")).isFalse();
        // 1 to 30 characters, not only spaces.
        assertThat(BankChecks.isZenginName("ｱ".repeat(30))).isTrue();
        assertThat(BankChecks.isZenginName("ｱ".repeat(31))).isFalse();
        assertThat(BankChecks.isZenginName("")).isFalse();
        assertThat(BankChecks.isZenginName("   ")).isFalse();
        assertThat(BankChecks.isZenginName(null)).isFalse();
    }

    @Test
    void koreanAccountNumberLosesItsHyphensAndHasTenToFourteenDigits() {
        assertThat(BankChecks.isKoreanBankCode("004")).isTrue();
        assertThat(BankChecks.isKoreanBankCode("88")).isFalse();
        assertThat(BankChecks.isKoreanBankCode("0881")).isFalse();
        assertThat(BankChecks.normalizeKoreanAccount("123-456-789012")).isEqualTo("123456789012");
        assertThat(BankChecks.isKoreanAccountNumber(BankChecks.normalizeKoreanAccount("123-456-789012"))).isTrue();
        assertThat(BankChecks.isKoreanAccountNumber("1234567890")).isTrue();
        assertThat(BankChecks.isKoreanAccountNumber("12345678901234")).isTrue();
        assertThat(BankChecks.isKoreanAccountNumber("123456789")).isFalse();
        assertThat(BankChecks.isKoreanAccountNumber("123456789012345")).isFalse();
        // Hyphens separate digit groups; anything else stays as given and is refused.
        assertThat(BankChecks.normalizeKoreanAccount("-1234567890")).isEqualTo("-1234567890");
        assertThat(BankChecks.normalizeKoreanAccount("123--4567890")).isEqualTo("123--4567890");
        assertThat(BankChecks.isKoreanAccountNumber(BankChecks.normalizeKoreanAccount("123 456 7890"))).isFalse();
        assertThat(BankChecks.normalizeKoreanAccount(null)).isNull();
    }
}
