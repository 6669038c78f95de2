package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.domain.Invitation;
import com.acme.incentives.enrollment.domain.MailMessage;
import com.acme.incentives.platform.security.Roles;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.enrollment.EnrollmentFixture.PROGRAM;
import static com.acme.incentives.enrollment.EnrollmentFixture.addLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.awaitEligibilitySequence;
import static com.acme.incentives.enrollment.EnrollmentFixture.eligibility;
import static com.acme.incentives.enrollment.EnrollmentFixture.email;
import static com.acme.incentives.enrollment.EnrollmentFixture.mailbox;
import static com.acme.incentives.enrollment.EnrollmentFixture.registerOrganizationWithLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.userCreated;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each recipient gets the invitation in their own language (their locale from identity's events), from the templates:
 * one email per language, the outbox row naming it, dates written as the language writes them; a primary contact we
 * know only by address gets the language of the location's country.
 */
@QuarkusTest
class LocalizedMailTest {

    private static final Duration WAIT = Duration.ofMinutes(3);
    /** The display name eligibility publishes with the outcome (the seeded programme's). */
    private static final String NAME = "CSP Direct Bill incentives";

    @Test
    void aJapaneseAdminsInvitationIsJapanese() {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        userCreated(admin, List.of(Roles.INCENTIVE_ADMIN), "ja");

        MailMessage mail = invitationMail(org, partnerId, admin, NAME).get(0);
        assertThat(mail.language).isEqualTo("ja");
        assertThat(mail.recipients).isEqualTo(email(admin));
        assertThat(mail.subject).isEqualTo("【パートナー インセンティブ】「" + NAME + "」へのご招待（パートナー ID " + partnerId + "）");
        assertThat(mail.body).contains("ご担当者様").contains("がプログラム「" + NAME + "」の参加資格を満たしました")
                .doesNotContain(PROGRAM).contains("ご案内申し上げます").contains("インセンティブ管理者様")
                .containsPattern("有効期限は \\d{4}年\\d{1,2}月\\d{1,2}日（UTC）です")
                .doesNotContain("You are invited").doesNotContain("Good news");
        assertDelivered(admin, mail);
    }

    @Test
    void aKoreanAdminsInvitationIsKorean() {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        userCreated(admin, List.of(Roles.INCENTIVE_ADMIN), "ko");

        MailMessage mail = invitationMail(org, partnerId, admin, NAME).get(0);
        assertThat(mail.language).isEqualTo("ko");
        assertThat(mail.subject).isEqualTo("[파트너 인센티브] '" + NAME + "' 프로그램 초대 안내 (파트너 ID " + partnerId + ")");
        assertThat(mail.body).contains("담당자님께").contains("'" + NAME + "' 프로그램의 참여 자격을 충족하게 되어").doesNotContain(PROGRAM)
                .containsPattern("본 초대는 \\d{4}년 \\d{1,2}월 \\d{1,2}일\\(UTC\\)까지 유효합니다")
                .doesNotContain("Good news");
        assertDelivered(admin, mail);
    }

    @Test
    void anEnglishAdminsInvitationIsEnglish() {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        userCreated(admin, List.of(Roles.INCENTIVE_ADMIN), "en");

        MailMessage mail = invitationMail(org, partnerId, admin, NAME).get(0);
        assertThat(mail.language).isEqualTo("en");
        assertThat(mail.subject).isEqualTo("Your invitation to " + NAME + " (partner ID " + partnerId + ")");
        assertThat(mail.body).contains("Good news: Location " + partnerId + " (partner ID " + partnerId + ", NO) is now"
                + " eligible for the programme \"" + NAME + "\".").doesNotContain(PROGRAM)
                .containsPattern("It is valid until [A-Z][a-z]+ \\d{1,2}, \\d{4} \\(UTC\\)");
        assertDelivered(admin, mail);
    }

    @Test
    void aMixedOrganizationGetsOneEmailPerLanguageEachRecipientInTheirs() {
        UUID org = UUID.randomUUID();
        TestUser japanese = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        TestUser japaneseToo = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        TestUser korean = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        TestUser english = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        TestUser unchosen = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        userCreated(japanese, List.of(Roles.INCENTIVE_ADMIN), "ja");
        userCreated(japaneseToo, List.of(Roles.INCENTIVE_ADMIN), "ja");
        userCreated(korean, List.of(Roles.INCENTIVE_ADMIN), "ko");
        userCreated(english, List.of(Roles.INCENTIVE_ADMIN), "en");
        userCreated(unchosen, List.of(Roles.INCENTIVE_ADMIN)); // no locale: the location's country (NO): English

        List<MailMessage> mails = invitationMail(org, partnerId, japanese, null);
        assertThat(mails).extracting(m -> m.language).containsExactlyInAnyOrder("en", "ja", "ko");
        MailMessage ja = byLanguage(mails, "ja");
        MailMessage ko = byLanguage(mails, "ko");
        MailMessage en = byLanguage(mails, "en");
        assertThat(List.of(ja.recipients.split(","))).containsExactlyInAnyOrder(email(japanese), email(japaneseToo));
        assertThat(ko.recipients).isEqualTo(email(korean));
        assertThat(List.of(en.recipients.split(","))).containsExactlyInAnyOrder(email(english), email(unchosen));
        // an outcome without a programme name (published before eligibility named them): the id stands in
        assertThat(ja.subject).contains("「" + PROGRAM + "」へのご招待");
        assertThat(ko.subject).contains("'" + PROGRAM + "' 프로그램 초대");
        assertThat(en.subject).startsWith("Your invitation to " + PROGRAM + " (partner ID");
        // the same invitation in each
        String invitationId = onlyInvitationId(partnerId);
        assertThat(mails).allSatisfy(m -> assertThat(m.body).contains(invitationId));
        assertDelivered(japanese, ja);
        assertDelivered(japaneseToo, ja);
        assertDelivered(korean, ko);
        assertDelivered(english, en);
        assertDelivered(unchosen, en);
    }

    @Test
    void aPrimaryContactKnownOnlyByAddressReadsTheLanguageOfTheLocationsCountry() {
        UUID org = UUID.randomUUID();
        String contact = "contact-" + org + "@test.example";
        registerOrganizationWithLocation(org, contact);
        String japanese = addLocation(org, "JP");
        String korean = addLocation(org, "KR");

        eligibility(org, japanese, true, 1);
        eligibility(org, korean, true, 1);
        awaitEligibilitySequence(japanese, 1);
        awaitEligibilitySequence(korean, 1);
        MailMessage ja = awaitMail(onlyInvitationId(japanese));
        MailMessage ko = awaitMail(onlyInvitationId(korean));
        assertThat(ja.recipients).isEqualTo(contact);
        assertThat(ja.language).isEqualTo("ja");
        assertThat(ja.body).contains("Org " + org + " ご担当者様");
        assertThat(ko.recipients).isEqualTo(contact);
        assertThat(ko.language).isEqualTo("ko");
        assertThat(ko.body).contains("Org " + org + " 담당자님께");
    }

    @Test
    void anAdminWhoNeverChoseReadsTheLanguageOfTheLocationsCountry() {
        UUID org = UUID.randomUUID();
        registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        String japanese = addLocation(org, "JP");
        TestUser unchosen = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        TestUser english = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        userCreated(unchosen, List.of(Roles.INCENTIVE_ADMIN)); // no locale
        userCreated(english, List.of(Roles.INCENTIVE_ADMIN), "en"); // chose English: keeps it

        eligibility(org, japanese, true, 1);
        awaitEligibilitySequence(japanese, 1);
        String invitationId = onlyInvitationId(japanese);
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> MailMessage
                .count("body like ?1", "%" + invitationId + "%") == 2));
        List<MailMessage> mails = QuarkusTransaction.requiringNew().call(() -> MailMessage.<MailMessage>list(
                "body like ?1", "%" + invitationId + "%"));
        assertThat(byLanguage(mails, "ja").recipients).isEqualTo(email(unchosen));
        assertThat(byLanguage(mails, "en").recipients).isEqualTo(email(english));
    }

    @Test
    void theMigrationNoticeReachesEachGlobalAdminInTheirLanguage() {
        UUID org = UUID.randomUUID();
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        TestUser japanese = TestUsers.create(org, Roles.GLOBAL_ADMIN);
        TestUser korean = TestUsers.create(org, Roles.GLOBAL_ADMIN);
        userCreated(japanese, List.of(Roles.GLOBAL_ADMIN), "ja");
        userCreated(korean, List.of(Roles.GLOBAL_ADMIN), "ko");
        String wave = "Wave " + org;
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", wave, "startsAt", Instant.now().toString(),
                        "organizations", List.of(Map.of("organizationId", org.toString(),
                                "users", List.of(Map.of("email", "ina-" + org + "@test.example", "firstName", "Ina",
                                        "lastName", "Centive", "role", "INCENTIVE_ADMIN")),
                                "enrollments", List.of(Map.of("partnerId", partnerId, "programId", PROGRAM))))))
                .post("/api/v1/migration-waves").then().statusCode(201);

        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> MailMessage
                .count("body like ?1 and sentAt is not null", "%" + wave + "%") == 2));
        List<MailMessage> mails = QuarkusTransaction.requiringNew().call(() -> MailMessage.<MailMessage>list(
                "body like ?1", "%" + wave + "%"));
        MailMessage ja = byLanguage(mails, "ja");
        MailMessage ko = byLanguage(mails, "ko");
        assertThat(ja.recipients).isEqualTo(email(japanese));
        assertThat(ja.subject).isEqualTo("【パートナー インセンティブ】組織のセットアップのお願い");
        assertThat(ja.body).containsPattern("移行ウェーブ「" + wave + "」が \\d{4}年\\d{1,2}月\\d{1,2}日 に開始されました")
                .contains("  - Centive Ina <ina-" + org + "@test.example>: INCENTIVE_ADMIN")
                .contains("  - パートナー ID " + partnerId + ": " + PROGRAM);
        assertThat(ko.recipients).isEqualTo(email(korean));
        assertThat(ko.subject).isEqualTo("[파트너 인센티브] 조직 설정 요청 안내");
        assertThat(ko.body).containsPattern("마이그레이션 웨이브 \"" + wave + "\"이\\(가\\) \\d{4}년 \\d{1,2}월 \\d{1,2}일에 시작")
                .contains("  - 파트너 ID " + partnerId + ": " + PROGRAM);
        assertDelivered(japanese, ja);
        assertDelivered(korean, ko);
    }

    /** The outbox rows of the location's one invitation (after it was issued and every row was sent). */
    private static List<MailMessage> invitationMail(UUID org, String partnerId, TestUser reader, String programName) {
        if (programName == null) {
            eligibility(org, partnerId, true, 1);
        } else {
            eligibility(org, partnerId, true, 1, programName);
        }
        awaitEligibilitySequence(partnerId, 1);
        String invitationId = EnrollmentFlowTest.onlyInvitation(org, reader).path("id").asText();
        awaitMail(invitationId);
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> MailMessage
                .count("body like ?1 and sentAt is null", "%" + invitationId + "%") == 0));
        return QuarkusTransaction.requiringNew().call(() -> MailMessage.<MailMessage>list("body like ?1",
                "%" + invitationId + "%"));
    }

    private static MailMessage awaitMail(String invitationId) {
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> MailMessage
                .count("body like ?1", "%" + invitationId + "%") > 0));
        return QuarkusTransaction.requiringNew().call(() -> MailMessage.<MailMessage>find("body like ?1",
                "%" + invitationId + "%").firstResult());
    }

    private static String onlyInvitationId(String partnerId) {
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> Invitation.count("partnerId", partnerId) == 1));
        return QuarkusTransaction.requiringNew()
                .call(() -> Invitation.<Invitation>find("partnerId", partnerId).firstResult().id.toString());
    }

    private static MailMessage byLanguage(List<MailMessage> mails, String language) {
        return mails.stream().filter(m -> m.language.equals(language)).findFirst().orElseThrow();
    }

    /** The recipient's mailbox received exactly this email, in its language, through SMTP. */
    private static void assertDelivered(TestUser recipient, MailMessage mail) {
        await().atMost(WAIT).until(() -> mailbox(email(recipient)).stream()
                .anyMatch(m -> m.path("subject").asText().equals(mail.subject)));
        List<JsonNode> received = mailbox(email(recipient)).stream()
                .filter(m -> m.path("subject").asText().equals(mail.subject)).toList();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).path("mimeMessage").asText()).contains("Content-Language: " + mail.language);
    }
}
