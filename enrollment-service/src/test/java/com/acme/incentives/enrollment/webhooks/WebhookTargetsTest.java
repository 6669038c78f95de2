package com.acme.incentives.enrollment.webhooks;

import com.acme.incentives.enrollment.EnrollmentMessages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Where a webhook may go: https to public addresses only; localhost only with the test/dev flag. */
class WebhookTargetsTest {

    private static final WebhookTargets PRODUCTION = WebhookTargets.of(false);
    private static final WebhookTargets TESTING = WebhookTargets.of(true);

    private static EnrollmentMessages refused(WebhookTargets targets, String url) {
        WebhookTargets.Refused refused = catchThrowableOfType(() -> targets.check(url), WebhookTargets.Refused.class);
        assertThat(refused).as(url).isNotNull();
        return refused.reason;
    }

    @Test
    void privateLoopbackLinkLocalAndUniqueLocalAddressesAreRefused() {
        for (String url : new String[] { "https://127.0.0.1/hook", "https://localhost/hook", "https://10.0.0.1/hook",
                "https://172.16.5.4/", "https://192.168.1.1/", "https://169.254.169.254/latest/meta-data",
                "https://0.0.0.0/", "https://100.64.0.1/", "https://224.0.0.1/", "https://[::1]/",
                "https://[fd00::1]/", "https://[fc00::1]/", "https://[fe80::1]/", "https://[::]/",
                "https://[::ffff:10.0.0.1]/" }) {
            assertThat(refused(PRODUCTION, url)).as(url).isEqualTo(EnrollmentMessages.WEBHOOK_URL_NOT_PUBLIC);
        }
    }

    @Test
    void onlyHttpsWithoutUserInfo() {
        assertThat(refused(PRODUCTION, "http://10.0.0.1/hook")).isEqualTo(EnrollmentMessages.WEBHOOK_URL_NOT_HTTPS);
        assertThat(refused(PRODUCTION, "http://93.184.216.34/hook"))
                .isEqualTo(EnrollmentMessages.WEBHOOK_URL_NOT_HTTPS);
        assertThat(refused(PRODUCTION, "ftp://93.184.216.34/")).isEqualTo(EnrollmentMessages.WEBHOOK_URL_NOT_HTTPS);
        assertThat(refused(PRODUCTION, "https://user:secret@93.184.216.34/"))
                .isEqualTo(EnrollmentMessages.WEBHOOK_URL_USER_INFO);
        assertThat(refused(PRODUCTION, "/relative")).isEqualTo(EnrollmentMessages.WEBHOOK_URL_INVALID);
        assertThat(refused(PRODUCTION, "https://exa mple.com/")).isEqualTo(EnrollmentMessages.WEBHOOK_URL_INVALID);
        assertThat(refused(PRODUCTION, "https://nothing.invalid/"))
                .isEqualTo(EnrollmentMessages.WEBHOOK_URL_UNRESOLVABLE);
    }

    @Test
    void aPublicAddressOverHttpsPasses() {
        assertThatCode(() -> PRODUCTION.check("https://93.184.216.34/hooks?x=1")).doesNotThrowAnyException();
        assertThatCode(() -> PRODUCTION.check("https://[2606:4700:4700::1111]/hooks")).doesNotThrowAnyException();
    }

    @Test
    void theFlagLetsOnlyLocalhostThroughAndOnlyItOverHttp() {
        assertThatCode(() -> TESTING.check("http://127.0.0.1:8999/hook")).doesNotThrowAnyException();
        assertThatCode(() -> TESTING.check("http://localhost:8999/hook")).doesNotThrowAnyException();
        assertThatCode(() -> TESTING.check("https://127.0.0.1/hook")).doesNotThrowAnyException();
        assertThat(refused(TESTING, "http://10.0.0.1/hook")).isEqualTo(EnrollmentMessages.WEBHOOK_URL_NOT_HTTPS);
        assertThat(refused(TESTING, "https://10.0.0.1/hook")).isEqualTo(EnrollmentMessages.WEBHOOK_URL_NOT_PUBLIC);
        assertThat(refused(TESTING, "https://[::1]/hook")).isEqualTo(EnrollmentMessages.WEBHOOK_URL_NOT_PUBLIC);
        assertThat(refused(PRODUCTION, "http://127.0.0.1:8999/hook"))
                .isEqualTo(EnrollmentMessages.WEBHOOK_URL_NOT_HTTPS);
    }

    @Test
    void aSignatureIsTheStandardWebhooksHmac() throws Exception {
        // the Standard Webhooks specification's own example
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String body = "{\"test\": 2432232314}";
        assertThat(WebhookSigner.signature(java.util.List.of(secret), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                body)).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(WebhookSigner.newSecret()).startsWith("whsec_")
                .satisfies(s -> assertThat(java.util.Base64.getDecoder().decode(s.substring(6))).hasSize(32));
    }
}
