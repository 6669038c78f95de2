package com.acme.incentives.eligibility.domain;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reason texts made from a code and its values: English as before codes existed (events and stored rows keep these
 * exact texts), Japanese and Korean around the same names, and a stored reason without a code left as it is.
 */
class CriterionResultTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 20);
    static final Criterion MPN = Criterion.agreement(AgreementType.MPN);
    static final Criterion COMPETENCY = Criterion.competency(CompetencyLevel.SILVER, CompetencyLevel.GOLD);
    static final Criterion FIRST = Criterion.firstTransaction();

    @Test
    void englishIsTheTextOfBeforeCodes() {
        assertThat(CriterionResult.explained(MPN, true, DAY, ReasonCode.ACTIVE, "a-1", null).reason())
                .isEqualTo("MPN agreement a-1 is active");
        assertThat(CriterionResult.explained(MPN, true, DAY, ReasonCode.ACTIVE_UNTIL, "a-1", DAY).reason())
                .isEqualTo("MPN agreement a-1 is active until 2026-11-20");
        assertThat(CriterionResult.explained(COMPETENCY, false, null, ReasonCode.NONE_ON_RECORD, null, null).reason())
                .isEqualTo("No SILVER or GOLD competency on record");
        assertThat(CriterionResult.explained(Criterion.competency(CompetencyLevel.GOLD), false, null,
                ReasonCode.NONE_ON_RECORD, null, null).reason()).isEqualTo("No GOLD competency on record");
        assertThat(CriterionResult.explained(MPN, false, null, ReasonCode.NOT_VALID_BEFORE, "a-1", DAY).reason())
                .isEqualTo("MPN agreement a-1 is not valid before 2026-11-20");
        assertThat(CriterionResult.explained(COMPETENCY, false, DAY.plusDays(1), ReasonCode.EXPIRED, "c-1", DAY)
                .reason()).isEqualTo("SILVER or GOLD competency c-1 expired on 2026-11-20");
        assertThat(CriterionResult.explained(MPN, false, null, ReasonCode.TERMINATED, "a-1", null).reason())
                .isEqualTo("MPN agreement a-1 was terminated");
        assertThat(CriterionResult.explained(FIRST, false, null, ReasonCode.NO_FIRST_TRANSACTION, null, null)
                .reason()).isEqualTo("No first transaction recorded");
        assertThat(CriterionResult.explained(FIRST, false, null, ReasonCode.FIRST_TRANSACTION_IN_FUTURE, null, DAY)
                .reason()).isEqualTo("First transaction is dated 2026-11-20, a future day");
        assertThat(CriterionResult.explained(FIRST, true, DAY, ReasonCode.FIRST_TRANSACTION_RECORDED, null, DAY)
                .reason()).isEqualTo("First transaction recorded on 2026-11-20");
        assertThat(CriterionResult.programNotOffered("csp-direct-bill").reason())
                .isEqualTo("Programme csp-direct-bill is not offered to this location");
    }

    @Test
    void japaneseAndKoreanTranslateTheSentenceAndKeepTheNames() {
        CriterionResult until = CriterionResult.explained(MPN, true, DAY, ReasonCode.ACTIVE_UNTIL, "a-1", DAY);
        assertThat(until.inLanguage(Locale.JAPANESE, "p").reason()).isEqualTo("MPN 契約 a-1 は 2026-11-20 まで有効です");
        assertThat(until.inLanguage(Locale.KOREAN, "p").reason()).isEqualTo("MPN 계약 a-1은(는) 2026-11-20까지 유효합니다");
        CriterionResult none = CriterionResult.explained(COMPETENCY, false, null, ReasonCode.NONE_ON_RECORD, null,
                null);
        assertThat(none.inLanguage(Locale.JAPANESE, "p").reason())
                .isEqualTo("SILVER または GOLD コンピテンシーの記録がありません");
        assertThat(none.inLanguage(Locale.KOREAN, "p").reason()).isEqualTo("SILVER 또는 GOLD 역량 기록이 없습니다");
        assertThat(CriterionResult.programNotOffered("csp-x").inLanguage(Locale.JAPANESE, "csp-x").reason())
                .isEqualTo("プログラム csp-x はこのロケーションには提供されていません");

        // Only the text changes with the language: the code and its values are the same.
        CriterionResult ja = until.inLanguage(Locale.JAPANESE, "p");
        assertThat(ja).usingRecursiveComparison().ignoringFields("reason").isEqualTo(until);
    }

    @Test
    void everyCodeHasItsTextInEveryLanguageWithItsValuesFilledIn() {
        for (ReasonCode code : ReasonCode.values()) {
            CriterionResult result = switch (code) {
                case NO_FIRST_TRANSACTION, FIRST_TRANSACTION_IN_FUTURE, FIRST_TRANSACTION_RECORDED ->
                        CriterionResult.explained(FIRST, false, null, code, null,
                                code == ReasonCode.NO_FIRST_TRANSACTION ? null : DAY);
                case PROGRAM_NOT_OFFERED -> CriterionResult.programNotOffered("csp-x");
                case ACTIVE, NONE_ON_RECORD, TERMINATED -> CriterionResult.explained(COMPETENCY, false, null, code,
                        code == ReasonCode.NONE_ON_RECORD ? null : "c-1", null);
                default -> CriterionResult.explained(COMPETENCY, false, null, code, "c-1", DAY);
            };
            for (Locale language : List.of(Locale.ENGLISH, Locale.JAPANESE, Locale.KOREAN)) {
                String text = result.inLanguage(language, "csp-x").reason();
                assertThat(text).as("%s in %s", code, language).doesNotContain("{").doesNotContain("null")
                        .doesNotContain("reason-");
                if (result.factId() != null) {
                    assertThat(text).as("%s in %s", code, language).contains("c-1");
                }
                if (result.date() != null) {
                    assertThat(text).as("%s in %s", code, language).contains("2026-11-20");
                }
                if (result.levels() != null) {
                    assertThat(text).as("%s in %s", code, language).contains("SILVER").contains("GOLD");
                }
                if (code == ReasonCode.PROGRAM_NOT_OFFERED) {
                    assertThat(text).as("%s in %s", code, language).contains("csp-x");
                }
                if (!language.equals(Locale.ENGLISH)) {
                    assertThat(text).as("%s in %s is translated", code, language)
                            .isNotEqualTo(result.inLanguage(Locale.ENGLISH, "csp-x").reason());
                }
            }
        }
    }

    @Test
    void aReasonStoredBeforeCodesStaysAsItIs() {
        CriterionResult old = new CriterionResult("MPN_AGREEMENT", true, "MPN agreement a-1 is active", DAY, null,
                null, null, null, null, null);
        assertThat(old.inLanguage(Locale.JAPANESE, "p")).isEqualTo(old);
    }
}
