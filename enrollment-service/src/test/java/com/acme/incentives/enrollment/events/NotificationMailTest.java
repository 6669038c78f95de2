package com.acme.incentives.enrollment.events;

import com.acme.incentives.enrollment.domain.EnrollmentStatus;
import com.acme.incentives.enrollment.domain.Invitation;
import com.acme.incentives.enrollment.domain.MailMessage;
import com.acme.incentives.enrollment.domain.OrganizationUser;
import com.acme.incentives.enrollment.jobs.InvitationReminderJob;
import com.acme.incentives.platform.security.Roles;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.enrollment.EnrollmentFixture.PROGRAM;
import static com.acme.incentives.enrollment.EnrollmentFixture.addLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.awaitEligibilitySequence;
import static com.acme.incentives.enrollment.EnrollmentFixture.awaitProfileSequence;
import static com.acme.incentives.enrollment.EnrollmentFixture.eligibility;
import static com.acme.incentives.enrollment.EnrollmentFixture.email;
import static com.acme.incentives.enrollment.EnrollmentFixture.mailbox;
import static com.acme.incentives.enrollment.EnrollmentFixture.payoutProfile;
import static com.acme.incentives.enrollment.EnrollmentFixture.produce;
import static com.acme.incentives.enrollment.EnrollmentFixture.produceWithId;
import static com.acme.incentives.enrollment.EnrollmentFixture.registerOrganizationWithLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.userCreated;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The partner is told what happens to its money and enrolments (payment held, sent, rejected, returned; enrolment
 * completed; an invitation about to lapse): each email reaches the right people of the right organization once, through the real broker and SMTP
 * server, in each person's language, even when the event is delivered again.
 */
@QuarkusTest
class NotificationMailTest {

    private static final Duration WAIT = Duration.ofMinutes(3);

    @Inject
    InvitationReminderJob reminders;

    @Test
    void aHeldPaymentReachesTheLocationsIncentiveTeamOnceEachInTheirLanguageWithWhatToDoAndTheForfeitDate() {
        UUID org = UUID.randomUUID();
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        String other = addLocation(org);
        String admin = user(org, Roles.INCENTIVE_ADMIN, List.of(), "ja");
        String reader = user(org, Roles.INCENTIVE_USER, List.of(partnerId), "ko");
        String globalAdmin = user(org, Roles.GLOBAL_ADMIN, List.of(), "en"); // money is the incentive team's
        String elsewhere = user(org, Roles.INCENTIVE_ADMIN, List.of(other), "en"); // limited to another location
        Instant forfeitsAt = Instant.parse("2027-05-31T10:00:00Z");

        String eventId = UUID.randomUUID().toString();
        Map<String, Object> held = payment(org, partnerId, "150000", "JPY");
        held.put("holdReasons", List.of("TAX_PROFILE_MISSING", "BANK_PROFILE_NOT_APPROVED"));
        held.put("heldSince", forfeitsAt.minus(Duration.ofDays(180)).toString());
        held.put("forfeitsAt", forfeitsAt.toString());
        produceWithId(eventId, "payout.events", partnerId, "PaymentHeld", partnerId, held);
        // the very same event again (at-least-once delivery): nobody is told twice
        produceWithId(eventId, "payout.events", partnerId, "PaymentHeld", partnerId, held);
        awaitApplied(partnerId);

        List<MailMessage> mails = sentMails(eventId, 2);
        MailMessage ja = byLanguage(mails, "ja");
        assertThat(ja.kind).isEqualTo("payment-held");
        assertThat(ja.recipients).isEqualTo(admin);
        assertThat(ja.subject).isEqualTo("【パートナー インセンティブ】お支払い（￥150,000）が保留されています（パートナー ID "
                + partnerId + "）");
        assertThat(ja.body).contains("Org " + org + " ご担当者様")
                .contains("Location " + partnerId + "（パートナー ID " + partnerId + "）のプログラム「" + PROGRAM
                        + "」2026-11 分のお支払い ￥150,000 は、現在保留となっております。")
                .contains("  ・このロケーションの税務プロファイルを追加してください\n")
                .contains("  ・承認されるまで銀行プロファイルを修正してください\n")
                .contains("2027年5月31日（UTC）の時点で保留が解除されていない場合")
                .contains("http://localhost:8080/payments");
        MailMessage ko = byLanguage(mails, "ko");
        assertThat(ko.recipients).isEqualTo(reader);
        assertThat(ko.body).contains("지급액 JP¥150,000이(가) 현재 보류되어 있습니다")
                .contains("  - 이 로케이션의 세금 프로필을 추가하세요\n")
                .contains("2027년 5월 31일(UTC)까지 보류가 해제되지 않으면");

        assertReceivedOnce(admin, ja.subject);
        assertReceivedOnce(reader, ko.subject);
        assertThat(mailbox(globalAdmin)).isEmpty();
        assertThat(mailbox(elsewhere)).isEmpty();
    }

    @Test
    void sentRejectedAndReturnedPaymentsAreMailedWithTheBanksReferenceAndReasonSentOnlyToThoseWhoDidNotOptOut() {
        UUID org = UUID.randomUUID();
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        String admin = user(org, Roles.INCENTIVE_ADMIN, List.of(), "en");
        String optedOut = optedOutUser(org, Roles.INCENTIVE_USER, "en");

        Map<String, Object> sent = new HashMap<>(Map.of("paymentId", UUID.randomUUID().toString(),
                "organizationId", org.toString(), "partnerId", partnerId, "amount", "410.00", "currency", "EUR",
                "sentAt", Instant.now().toString(), "bankReference", "BANK-REF-1"));
        String sentId = produce("payout.events", partnerId, "PaymentSent", partnerId, sent);
        Map<String, Object> rejected = payment(org, partnerId, "410.00", "EUR");
        rejected.putAll(Map.of("status", "REJECTED", "reason", "AC01", "bankReference", "BANK-REF-2",
                "earningsReturned", 1, "at", Instant.now().toString()));
        String rejectedId = produce("payout.events", partnerId, "PaymentRejected", partnerId, rejected);
        Map<String, Object> returned = new HashMap<>(rejected);
        returned.put("status", "RETURNED");
        returned.put("bankReference", "BANK-REF-3");
        String returnedId = produce("payout.events", partnerId, "PaymentReturned", partnerId, returned);
        awaitApplied(partnerId);

        MailMessage sentMail = sentMails(sentId, 1).get(0);
        assertThat(sentMail.kind).isEqualTo("payment-sent");
        assertThat(sentMail.subject).isEqualTo("A payment of €410.00 is on its way (partner ID " + partnerId + ")");
        assertThat(sentMail.body).contains("Your bank has accepted our transfer of €410.00 for Location " + partnerId
                + " (partner ID " + partnerId + ") (bank reference BANK-REF-1).");
        MailMessage rejectedMail = sentMails(rejectedId, 1).get(0);
        assertThat(rejectedMail.kind).isEqualTo("payment-rejected");
        assertThat(rejectedMail.body).contains("The bank refused our transfer of €410.00").contains("(bank reason AC01)")
                .contains("programme \"" + PROGRAM + "\", period 2026-11");
        MailMessage returnedMail = sentMails(returnedId, 1).get(0);
        assertThat(returnedMail.kind).isEqualTo("payment-returned");
        assertThat(returnedMail.subject).isEqualTo("A payment of €410.00 came back from the bank (partner ID "
                + partnerId + ")");
        // a payment sent is not critical: not to whoever opted out; a refused or returned one goes to everyone
        assertThat(sentMail.recipients).isEqualTo(admin);
        assertThat(List.of(rejectedMail, returnedMail)).allSatisfy(m -> assertThat(m.recipients.split(","))
                .containsExactlyInAnyOrder(admin, optedOut));
        assertThat(List.of(sentMail, rejectedMail, returnedMail))
                .allSatisfy(m -> assertThat(m.body).contains("http://localhost:8080/payments"));
        assertReceivedOnce(admin, sentMail.subject);
        assertReceivedOnce(admin, rejectedMail.subject);
        assertReceivedOnce(admin, returnedMail.subject);
        assertReceivedOnce(optedOut, rejectedMail.subject);
        assertThat(mailbox(optedOut).stream().map(m -> m.path("subject").asText())).doesNotContain(sentMail.subject);
    }

    @Test
    void withoutAnIncentiveTeamThePrimaryContactIsToldInTheLanguageOfTheLocationsCountry() {
        UUID org = UUID.randomUUID();
        String contact = "contact-" + org + "@test.example";
        registerOrganizationWithLocation(org, contact);
        String korean = addLocation(org, "KR");

        Map<String, Object> held = payment(org, korean, "1500000", "KRW");
        held.put("holdReasons", List.of("NOT_ENROLLED"));
        // an event published before payout-service told the forfeit date: the email is sent without it
        String eventId = produce("payout.events", korean, "PaymentHeld", korean, held);
        awaitApplied(korean);

        MailMessage mail = sentMails(eventId, 1).get(0);
        assertThat(mail.recipients).isEqualTo(contact);
        assertThat(mail.language).isEqualTo("ko");
        assertThat(mail.subject).isEqualTo("[파트너 인센티브] ₩1,500,000 지급이 보류되었습니다 (파트너 ID " + korean + ")");
        assertThat(mail.body).contains("  - 이 로케이션의 프로그램 등록을 완료하세요\n").doesNotContain("UTC");
        assertReceivedOnce(contact, mail.subject);
    }

    @Test
    void aCompletedEnrolmentIsMailedToTheIncentiveAdminsOnce() {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        userCreated(admin, List.of(Roles.INCENTIVE_ADMIN), "en");
        String reader = user(org, Roles.INCENTIVE_USER, List.of(), "en"); // enrolments are the admins' to act on

        eligibility(org, partnerId, true, 1, "CSP Direct Bill incentives");
        awaitEligibilitySequence(partnerId, 1);
        payoutProfile(org, partnerId, "COMPLETE", 1);
        awaitProfileSequence(partnerId, 1);
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> Invitation.count("partnerId", partnerId) == 1));
        UUID invitationId = QuarkusTransaction.requiringNew()
                .call(() -> Invitation.<Invitation>find("partnerId", partnerId).firstResult().id);
        // the profiles are complete already: accepting enrols at once
        given().auth().oauth2(admin.token()).post("/api/v1/invitations/" + invitationId + "/accept")
                .then().statusCode(200).body("status", equalTo(EnrollmentStatus.ENROLLED.name()));

        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> MailMessage
                .count("kind = 'enrolment-completed' and recipients = ?1 and sentAt is not null", email(admin)) == 1));
        MailMessage mail = QuarkusTransaction.requiringNew().call(() -> MailMessage.<MailMessage>find(
                "kind = 'enrolment-completed' and recipients = ?1", email(admin)).firstResult());
        assertThat(mail.eventId).isNotNull();
        assertThat(mail.subject).isEqualTo("Enrolled in CSP Direct Bill incentives (partner ID " + partnerId + ")");
        String firstOfMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1)
                .format(DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(Locale.ENGLISH));
        assertThat(mail.body).contains("is now enrolled in the programme \"CSP Direct Bill incentives\"")
                .contains("earnings count from " + firstOfMonth).contains("http://localhost:8080/");
        assertReceivedOnce(email(admin), mail.subject);
        assertThat(mailbox(reader)).isEmpty();
    }

    @Test
    void anOpenInvitationIsRemindedSevenDaysAndOneDayBeforeItLapsesOnceEach() {
        UUID org = UUID.randomUUID();
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        String admin = user(org, Roles.INCENTIVE_ADMIN, List.of(), "ja");
        eligibility(org, partnerId, true, 1, "CSP Direct Bill incentives");
        awaitEligibilitySequence(partnerId, 1);
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> Invitation.count("partnerId", partnerId) == 1));
        Invitation invitation = QuarkusTransaction.requiringNew()
                .call(() -> Invitation.<Invitation>find("partnerId", partnerId).firstResult());
        Instant lapses = invitation.expiresAt;

        // the job as it would run on those days (other open invitations of this database may be reminded too)
        reminders.remindAll(lapses.minus(Duration.ofDays(8)), 50);
        assertThat(reminderMails(invitation)).isEmpty();
        reminders.remindAll(lapses.minus(Duration.ofDays(6)), 50);
        reminders.remindAll(lapses.minus(Duration.ofDays(5)), 50); // already reminded at 7 days
        assertThat(reminderMails(invitation)).singleElement().satisfies(mail -> {
            assertThat(mail.recipients).isEqualTo(admin);
            assertThat(mail.subject).isEqualTo("【パートナー インセンティブ】「CSP Direct Bill incentives」へのご招待の有効期限が"
                    + "あと 7 日で切れます（パートナー ID " + partnerId + "）");
            assertThat(mail.body).contains("招待 ID: " + invitation.id).contains("http://localhost:8080/");
        });
        reminders.remindAll(lapses.minus(Duration.ofHours(12)), 50);
        reminders.remindAll(lapses.minus(Duration.ofHours(1)), 50);
        List<MailMessage> mails = reminderMails(invitation);
        assertThat(mails).hasSize(2);
        assertThat(mails.get(1).subject).contains("有効期限が明日で切れます");
        assertThat(QuarkusTransaction.requiringNew().call(() -> ((Invitation) Invitation.findById(invitation.id))
                .remindedDaysBefore)).isEqualTo(1);
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> MailMessage.count(
                "kind = 'invitation-reminder' and body like ?1 and sentAt is null", "%" + invitation.id + "%") == 0));
        assertReceivedOnce(admin, mails.get(0).subject);
        assertReceivedOnce(admin, mails.get(1).subject);
    }

    @Test
    void aTaxProfileExpiringSoonAndOnceExpiredIsMailedToTheIncentiveAdmins() {
        UUID org = UUID.randomUUID();
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        String admin = user(org, Roles.INCENTIVE_ADMIN, List.of(), "ko");
        String reader = user(org, Roles.INCENTIVE_USER, List.of(), "ko"); // profiles are the admins' to renew

        String expiring = produce("payout.events", partnerId, "TaxProfileExpiring", partnerId, Map.of(
                "taxProfileId", UUID.randomUUID().toString(), "organizationId", org.toString(), "partnerId", partnerId,
                "expiresOn", "2027-01-02", "warnedAt", Instant.now().toString()));
        MailMessage warning = sentMails(expiring, 1).get(0);
        assertThat(warning.kind).isEqualTo("tax-profile-expiring");
        assertThat(warning.recipients).isEqualTo(admin);
        assertThat(warning.subject).isEqualTo("[파트너 인센티브] 세금 프로필이 2027년 1월 2일에 만료됩니다 (파트너 ID " + partnerId
                + ")");
        assertThat(warning.body).contains("http://localhost:8080/profiles");

        payoutProfile(org, partnerId, "COMPLETE", "VALID", "APPROVED", 1);
        payoutProfile(org, partnerId, "INCOMPLETE", "EXPIRED", "APPROVED", 2);
        payoutProfile(org, partnerId, "INCOMPLETE", "EXPIRED", "ACTION_REQUIRED", 3); // still expired: not told again
        awaitProfileSequence(partnerId, 3);
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> MailMessage.count(
                "kind = 'tax-profile-expired' and recipients = ?1 and sentAt is not null", admin) == 1));
        MailMessage expired = QuarkusTransaction.requiringNew().call(() -> MailMessage.<MailMessage>find(
                "kind = 'tax-profile-expired' and recipients = ?1", admin).singleResult());
        assertThat(expired.subject).isEqualTo("[파트너 인센티브] 세금 프로필이 만료되었습니다 (파트너 ID " + partnerId + ")");
        assertReceivedOnce(admin, warning.subject);
        assertReceivedOnce(admin, expired.subject);
        assertThat(mailbox(reader)).isEmpty();
    }

    @Test
    void aPaymentProfileAnOperatorRejectedIsMailedToTheOrganizationsIncentiveAdminsOnceWithTheReason() {
        UUID org = UUID.randomUUID();
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        String admin = user(org, Roles.INCENTIVE_ADMIN, List.of(), "ja");
        String reader = user(org, Roles.INCENTIVE_USER, List.of(), "ja"); // profiles are the admins' to correct
        Map<String, Object> rejected = Map.of("organizationId", org.toString(), "profileId",
                UUID.randomUUID().toString(), "name", "Frankfurt account", "version", 1,
                "reason", "Please give an account in Japan", "rejectedAt", Instant.now().toString());

        // Keyed here by the location (payout keys it by the organization) so that awaitApplied's marker, on the same
        // partition, follows both deliveries.
        String eventId = UUID.randomUUID().toString();
        produceWithId(eventId, "payout.events", partnerId, "BankProfileRejected", org.toString(), rejected);
        // the very same event again (at-least-once delivery): nobody is told twice
        produceWithId(eventId, "payout.events", partnerId, "BankProfileRejected", org.toString(), rejected);
        awaitApplied(partnerId);
        MailMessage mail = sentMails(eventId, 1).get(0);
        assertThat(mail.kind).isEqualTo("payment-profile-rejected");
        assertThat(mail.recipients).isEqualTo(admin);
        assertThat(mail.subject).isEqualTo("【パートナー インセンティブ】支払プロファイル「Frankfurt account」の修正をお願いいたします");
        assertThat(mail.body).contains("Please give an account in Japan").contains("http://localhost:8080/profiles");
        assertReceivedOnce(admin, mail.subject);
        assertThat(mailbox(reader)).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private static List<MailMessage> reminderMails(Invitation invitation) {
        return QuarkusTransaction.requiringNew().call(() -> MailMessage.<MailMessage>list(
                "kind = 'invitation-reminder' and body like ?1 order by id", "%" + invitation.id + "%"));
    }

    /** A PaymentHeld/PaymentRejected's common data, as payout-service publishes it (period 2026-11). */
    private static Map<String, Object> payment(UUID org, String partnerId, String amount, String currency) {
        return new HashMap<>(Map.of("paymentId", UUID.randomUUID().toString(), "payoutRunId",
                UUID.randomUUID().toString(), "organizationId", org.toString(), "partnerId", partnerId, "programId",
                PROGRAM, "earningType", "REBATE", "period", "2026-11", "amount", amount, "currency", currency,
                "issuedAt", Instant.now().toString()));
    }

    /**
     * identity-service's UserCreated for a user of these roles, limited to {@code locations} (empty: all), who chose
     * {@code locale}; waits until the projection has them. Returns their address.
     */
    private static String user(UUID org, String role, List<String> locations, String locale) {
        String userId = UUID.randomUUID().toString();
        String address = role.toLowerCase() + "-" + userId + "@test.example";
        produce("identity.events", org.toString(), "UserCreated", org.toString(), Map.of("organizationId",
                org.toString(), "userId", userId, "email", address, "firstName", "Test", "lastName", role,
                "roles", List.of(role), "locations", locations, "createdBy", "test",
                "createdAt", Instant.now().toString(), "locale", locale));
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> OrganizationUser.findById(userId) != null));
        return address;
    }

    /** A user who then opted out of the non-critical emails (identity's UserEmailPreferencesChanged). */
    private static String optedOutUser(UUID org, String role, String locale) {
        String address = user(org, role, List.of(), locale);
        String userId = QuarkusTransaction.requiringNew()
                .call(() -> OrganizationUser.<OrganizationUser>find("email", address).singleResult().userId);
        produce("identity.events", org.toString(), "UserEmailPreferencesChanged", org.toString(), Map.of(
                "organizationId", org.toString(), "userId", userId, "email", address, "nonCriticalEmails", false,
                "changedAt", Instant.now().toString()));
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> !((OrganizationUser) OrganizationUser.findById(userId)).nonCriticalEmails));
        return address;
    }

    /**
     * Waits until everything produced before on the location's partition has been applied: a PayoutProfileStatusChanged
     * marker, same key, so same partition, after the events under test.
     */
    private static void awaitApplied(String partnerId) {
        long sequence = System.nanoTime();
        produce("payout.events", partnerId, "PayoutProfileStatusChanged", partnerId, Map.of(
                "organizationId", UUID.randomUUID().toString(), "partnerId", partnerId, "taxProfile", "MISSING",
                "bankProfile", "MISSING", "status", "INCOMPLETE", "sequence", sequence,
                "changedAt", Instant.now().toString()));
        awaitProfileSequence(partnerId, sequence);
    }

    /** The event's outbox rows, once there are {@code count} and each was sent over SMTP. */
    private static List<MailMessage> sentMails(String eventId, int count) {
        UUID id = UUID.fromString(eventId);
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> MailMessage
                .count("eventId = ?1 and sentAt is not null", id) >= count));
        List<MailMessage> mails = QuarkusTransaction.requiringNew().call(() -> MailMessage.<MailMessage>list(
                "eventId", id));
        assertThat(mails).hasSize(count);
        return mails;
    }

    private static MailMessage byLanguage(List<MailMessage> mails, String language) {
        return mails.stream().filter(m -> m.language.equals(language)).findFirst().orElseThrow();
    }

    /** The mailbox received this email exactly once, through SMTP. */
    private static void assertReceivedOnce(String address, String subject) {
        await().atMost(WAIT).until(() -> mailbox(address).stream()
                .anyMatch(m -> m.path("subject").asText().equals(subject)));
        List<JsonNode> received = mailbox(address).stream()
                .filter(m -> m.path("subject").asText().equals(subject)).toList();
        assertThat(received).hasSize(1);
    }
}
