package com.acme.incentives.enrollment.domain;

import java.util.Locale;

/**
 * The languages enrollment-service writes emails in: those the platform speaks (docs/conventions.md "Languages"). The
 * tag is what identity-service publishes as a user's {@code locale} and what the mail outbox records.
 */
public enum MailLanguage {
    EN(Locale.ENGLISH), JA(Locale.JAPANESE), KO(Locale.KOREAN);

    private final Locale locale;

    MailLanguage(Locale locale) {
        this.locale = locale;
    }

    public String tag() {
        return locale.getLanguage();
    }

    public Locale locale() {
        return locale;
    }

    /**
     * The language of a country's people where we write theirs (JP, KR), else English: for a recipient we know only as
     * an organization's primary contact, without a user who chose a language.
     */
    public static MailLanguage ofCountry(String country) {
        if ("JP".equals(country)) {
            return JA;
        }
        if ("KR".equals(country)) {
            return KO;
        }
        return EN;
    }

    /**
     * The language of a tag identity published, or null for none or one we have no templates for: identity accepts only
     * these three today, and a language added there later is better mailed in English than dead-lettered.
     */
    public static MailLanguage ofTag(String tag) {
        if (tag == null) {
            return null;
        }
        for (MailLanguage language : values()) {
            if (language.tag().equals(tag)) {
                return language;
            }
        }
        return null;
    }
}
