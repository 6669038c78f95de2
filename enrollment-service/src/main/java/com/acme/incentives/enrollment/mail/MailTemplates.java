package com.acme.incentives.enrollment.mail;

import com.acme.incentives.enrollment.domain.MailLanguage;
import com.acme.incentives.enrollment.domain.OrganizationUser;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The texts of enrollment-service's emails: one Qute template per email and language,
 * {@code templates/<email>_<language>.txt} (en, ja, ko). A template's first line is the subject, then an empty line,
 * then the body: one file per language keeps a translator's whole email in one place. Templates are plain text (no
 * HTML escaping); each declares the record it reads, so Quarkus checks its expressions at build time.
 */
@ApplicationScoped
public class MailTemplates {

    public record Rendered(String subject, String body) {
    }

    @Inject
    Engine engine;

    /** Renders {@code <email>_<language>} with {@code data} as {@code mail}. */
    public Rendered render(String email, MailLanguage language, Object data) {
        String name = email + "_" + language.tag();
        Template template = engine.getTemplate(name);
        if (template == null) {
            throw new IllegalStateException("No email template " + name);
        }
        String text = template.data("mail", data).render().stripLeading();
        int end = text.indexOf('\n');
        if (end <= 0 || !text.substring(end + 1).startsWith("\n")) {
            throw new IllegalStateException("Email template " + name + " must start with the subject line, then an"
                    + " empty line");
        }
        return new Rendered(text.substring(0, end).strip(), text.substring(end + 2).stripTrailing() + "\n");
    }

    /**
     * A day as people of the language write it (December 31, 2026; 2026年12月31日; 2026년 12월 31일), in UTC, the zone
     * the emails name.
     */
    public static String date(Instant instant, MailLanguage language) {
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(language.locale())
                .format(instant.atZone(ZoneOffset.UTC));
    }

    /** A calendar day as people of the language write it (a tax profile's expiry, an earnings start date). */
    public static String date(LocalDate day, MailLanguage language) {
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(language.locale()).format(day);
    }

    /**
     * The primary contact's language: their own when identity announced them as a user who chose one; otherwise (a
     * user who never chose, or only an address known) the language of the country of the locations the email is about
     * if it is one we write (JP: Japanese, KR: Korean; an organization whose locations are in several countries gets
     * English): a contact at a Japanese partner who never chose reads Japanese more surely than English. {@code user}:
     * the organization's user with the primary contact's address, null when identity announced none.
     */
    public static MailLanguage contactLanguage(OrganizationUser user, List<String> countries) {
        MailLanguage ofCountries = countriesLanguage(countries);
        return user == null ? ofCountries : user.language(ofCountries);
    }

    /** The language of the countries an email is about when they are one we write in; else English. */
    public static MailLanguage countriesLanguage(List<String> countries) {
        List<String> distinct = countries.stream().distinct().toList();
        return distinct.size() == 1 ? MailLanguage.ofCountry(distinct.get(0)) : MailLanguage.EN;
    }

    /**
     * Recipients grouped by language, in a stable order (en, ja, ko), each group keeping the recipients' order: one
     * email per language.
     */
    public static <T> Map<MailLanguage, List<String>> byLanguage(Collection<T> recipients,
            Function<T, MailLanguage> language, Function<T, String> email) {
        Map<MailLanguage, List<String>> groups = new EnumMap<>(MailLanguage.class);
        for (T recipient : recipients) {
            groups.computeIfAbsent(language.apply(recipient), l -> new ArrayList<>())
                    .add(email.apply(recipient));
        }
        return groups;
    }
}
