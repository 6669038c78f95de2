package com.acme.incentives.enrollment.service;

import com.acme.incentives.enrollment.domain.MailLanguage;
import com.acme.incentives.enrollment.domain.MailMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Queues emails in the mail outbox, inside the caller's transaction; {@link MailRelay} sends them after commit. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class MailService {

    private final Clock clock;

    MailService(Clock clock) {
        this.clock = clock;
    }

    /** {@code language}: the language the email is written in, recorded for operators (and the Content-Language). */
    public MailMessage queue(List<String> recipients, MailLanguage language, MailTemplates.Rendered text) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("An email needs at least one recipient");
        }
        MailMessage message = new MailMessage();
        message.messageId = "<" + UUID.randomUUID() + "@enrollment.incentives>";
        message.recipients = String.join(",", recipients);
        message.language = language.tag();
        message.subject = text.subject();
        message.body = text.body();
        message.createdAt = clock.instant();
        message.persist();
        return message;
    }
}
