package com.acme.incentives.enrollment.mail;

import com.acme.incentives.enrollment.domain.MailMessage;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * Sends committed mail_outbox rows over SMTP, one row per transaction: the row is locked (SKIP LOCKED, so replicas
 * share the work), sent, and stamped sent in the same transaction. Nothing is lost: a row stays unsent until the
 * SMTP server accepted it. A duplicate is possible only if the process dies between the SMTP server's acceptance and
 * our commit; the row's stable Message-ID lets mail clients recognise that resend. A row that keeps failing is
 * retried every pass up to {@code enrollment.mail.max-attempts}, then left with its last error for an operator.
 */
@ApplicationScoped
public class MailRelay {

    private static final Logger LOG = Logger.getLogger(MailRelay.class);

    @Inject
    Mailer mailer;

    @Inject
    Clock clock;

    @ConfigProperty(name = "enrollment.mail.max-attempts", defaultValue = "20")
    int maxAttempts;

    @Scheduled(every = "${enrollment.mail.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void drain() {
        while (sendNext()) {
            // keep going while there is work
        }
    }

    /** Sends the oldest unsent email; false when there was none. */
    public boolean sendNext() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<MailMessage> next = MailMessage.getEntityManager().createNativeQuery(
                    "SELECT * FROM mail_outbox WHERE sent_at IS NULL AND attempts < ?1 ORDER BY id LIMIT 1"
                            + " FOR UPDATE SKIP LOCKED", MailMessage.class)
                    .setParameter(1, maxAttempts).getResultList();
            if (next.isEmpty()) {
                return false;
            }
            MailMessage message = next.get(0);
            message.attempts++;
            try {
                mailer.send(new Mail().setSubject(message.subject).setText(message.body)
                        .setTo(Arrays.asList(message.recipients.split(",")))
                        .addHeader("Message-ID", message.messageId)
                        .addHeader("Content-Language", message.language));
                message.sentAt = clock.instant();
                message.lastError = null;
            } catch (RuntimeException e) {
                // the attempt is recorded (this transaction commits) and the row is tried again on the next pass
                message.lastError = e.toString();
                LOG.warnf("Email %d (%s) not sent on attempt %d: %s", message.id, message.subject, message.attempts,
                        e.toString());
                return false;
            }
            return true;
        });
    }
}
