package com.acme.incentives.platform.i18n;

import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.problem.ProblemType;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Which of English, Japanese and Korean a request's Accept-Language gets, and the texts in each. */
class LanguagesTest {

    @Test
    void noHeaderOrAnUnsupportedLanguageIsEnglish() {
        assertThat(Languages.best(null)).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.best("")).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.best("fr")).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.best("fr-CA, de;q=0.8")).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.best("*")).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.best("q=;;")).as("not a valid header").isEqualTo(Locale.ENGLISH);
    }

    @Test
    void aRegionalTagIsItsLanguage() {
        assertThat(Languages.best("ja-JP")).isEqualTo(Locale.JAPANESE);
        assertThat(Languages.best("ko-KR")).isEqualTo(Locale.KOREAN);
        assertThat(Languages.best("en-GB")).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.best("JA")).isEqualTo(Locale.JAPANESE);
    }

    @Test
    void qValuesAreHonoured() {
        assertThat(Languages.best("en;q=0.5, ko;q=0.9")).isEqualTo(Locale.KOREAN);
        assertThat(Languages.best("ja;q=0.2, ko;q=0.1")).isEqualTo(Locale.JAPANESE);
        assertThat(Languages.best("fr, ko;q=0.7, ja;q=0.8")).isEqualTo(Locale.JAPANESE);
        assertThat(Languages.best("ja;q=0, ko")).isEqualTo(Locale.KOREAN);
        assertThat(Languages.best("ja;q=0")).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void anUnsupportedLanguageFirstThenASupportedOneGetsTheSupportedOne() {
        assertThat(Languages.best("zh-TW, zh;q=0.9, ko;q=0.5")).isEqualTo(Locale.KOREAN);
    }

    @Test
    void anInvalidHeaderIsEnglish() {
        assertThat(Languages.best("ja;q=abc")).isEqualTo(Locale.ENGLISH);
        assertThat(Languages.best(";;;")).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void theContentLanguageTagIsTheLanguageAlone() {
        assertThat(Languages.tag(Locale.JAPAN)).isEqualTo("ja");
        assertThat(Languages.tag(Locale.FRENCH)).isEqualTo("en");
        assertThat(Languages.tag(Locale.KOREAN)).isEqualTo("ko");
    }

    @Test
    void textsAreInTheLanguageAskedForWithTheirArguments() {
        assertThat(Messages.text(Locale.ENGLISH, PlatformMessages.ORGANIZATION_NOT_FOUND, "42"))
                .isEqualTo("Organization 42 was not found");
        assertThat(Messages.text(Locale.JAPANESE, PlatformMessages.ORGANIZATION_NOT_FOUND, "42"))
                .isEqualTo("組織 42 が見つかりません");
        assertThat(Messages.text(Locale.KOREAN, PlatformMessages.ORGANIZATION_NOT_FOUND, "42"))
                .isEqualTo("조직 42을(를) 찾을 수 없습니다");
        assertThat(ProblemType.NOT_FOUND.title(Locale.JAPANESE)).isEqualTo("見つかりません");
        assertThat(ProblemType.NOT_FOUND.title(Locale.FRENCH)).isEqualTo("Not found");
    }

    @Test
    void argumentsAreNotFormattedAndQuotesStay() {
        assertThat(Messages.text(Locale.ENGLISH, PlatformMessages.BODY_DUPLICATE_KEY, "id", 1234567, 8))
                .isEqualTo("The key 'id' appears more than once in one JSON object (line 1234567, column 8): send"
                        + " each field once");
        assertThat(Messages.format("{0} and {1} and {2}", "a", "b")).isEqualTo("a and b and {2}");
        assertThat(Messages.format("a {x} b", "c")).isEqualTo("a {x} b");
    }

    @Test
    void aFieldErrorCarriesItsCode() {
        FieldViolation type = FieldViolation.of(Locale.KOREAN, "count", PlatformMessages.TYPE_WHOLE_NUMBER);
        assertThat(type.code()).isEqualTo("type");
        assertThat(type.message()).isEqualTo("정수여야 합니다");
        FieldViolation unknown = FieldViolation.of(Locale.JAPANESE, "extra", PlatformMessages.UNKNOWN_FIELD);
        assertThat(unknown.code()).isEqualTo("unknown-field");
        assertThat(unknown.message()).isEqualTo("このリクエストの項目ではありません");
    }

    @Test
    void outsideARequestTheLanguageIsEnglish() {
        assertThat(Languages.current()).isEqualTo(Locale.ENGLISH);
        assertThat(PlatformMessages.LISTED_TWICE.text()).isEqualTo("is listed twice");
    }
}
