package com.acme.incentives.enrollment.mail;

import com.acme.incentives.enrollment.domain.MailLanguage;
import com.acme.incentives.enrollment.domain.MailMessage;
import com.acme.incentives.enrollment.mail.Recipients.Recipient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Queues emails in the mail outbox, inside the caller's transaction; {@link MailRelay} sends them after commit. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class MailService {

    @Inject
    Clock clock;

    @Inject
    MailTemplates templates;

    /**
     * Queues the email {@code template} to each recipient in their language: one email per language, rendered from
     * {@code template_<language>} with {@code data.apply(language)} as {@code mail}. {@code eventId}: the event the
     * email answers (at most one row per event and language), or null. Returns the queued rows; none without
     * recipients.
     */
    public List<MailMessage> queue(List<Recipient> to, String template, Function<MailLanguage, Object> data,
            UUID eventId) {
        return MailTemplates.byLanguage(to, Recipient::language, Recipient::email).entrySet().stream()
                .map(group -> queue(group.getValue(), group.getKey(), template,
                        templates.render(template, group.getKey(), data.apply(group.getKey())), eventId))
                .toList();
    }

    private MailMessage queue(List<String> recipients, MailLanguage language, String template,
            MailTemplates.Rendered text, UUID eventId) {
        MailMessage message = new MailMessage();
        message.messageId = "<" + UUID.randomUUID() + "@enrollment.incentives>";
        message.recipients = String.join(",", recipients);
        message.kind = template;
        message.eventId = eventId;
        message.language = language.tag();
        message.subject = text.subject();
        message.body = text.body();
        message.createdAt = clock.instant();
        message.persist();
        return message;
    }
}
