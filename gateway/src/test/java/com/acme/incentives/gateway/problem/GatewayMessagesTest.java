package com.acme.incentives.gateway.problem;

import com.acme.incentives.platform.problem.ProblemType;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's texts are there in English, Japanese and Korean, with the problem titles the services use. */
class GatewayMessagesTest {

    @Test
    void everyKeyHasItsTextInEveryLanguage() {
        assertThat(GatewayMessages.missing()).isEmpty();
    }

    @Test
    void textsTakeTheirArgumentsAsTheyAre() {
        assertThat(GatewayMessages.SERVICE_UNREACHABLE.text(Locale.ENGLISH, "payout"))
                .isEqualTo("The payout service could not be reached");
        assertThat(GatewayMessages.SERVICE_TIMEOUT.text(Locale.JAPANESE, "payout", 30))
                .isEqualTo("payout サービスが 30 秒以内に応答しませんでした");
        assertThat(GatewayMessages.HEADERS_TOO_LARGE.text(Locale.KOREAN, 40000, 32768))
                .isEqualTo("요청 헤더가 40000바이트입니다. 게이트웨이는 최대 32768바이트까지 받습니다");
        assertThat(ProblemType.NOT_FOUND.title(Locale.KOREAN)).isEqualTo("찾을 수 없습니다");
        assertThat(ProblemType.GATEWAY_TIMEOUT.title(Locale.JAPANESE)).isEqualTo("上流のサービスがタイムアウトしました");
        assertThat(GatewayMessages.CSRF_ORIGIN.with("https://evil.example").toString())
                .isEqualTo("CSRF check failed: calls from origin https://evil.example are not accepted");
    }
}
