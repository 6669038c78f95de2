package com.acme.incentives.gateway.problem;

import java.util.List;
import java.util.Locale;

/**
 * The languages of the gateway's own problems, chosen as the services choose theirs (platform's i18n/Languages; the
 * gateway has no platform): the best of English, Japanese and Korean by the request's {@code Accept-Language}
 * (q-values honoured, {@code ja-JP} is Japanese), English when it names none of them. The gateway forwards the header,
 * so a service's problem comes back in the same language.
 */
public final class Languages {

    public static final Locale DEFAULT = Locale.ENGLISH;
    public static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.JAPANESE, Locale.KOREAN);
    public static final String ACCEPT_LANGUAGE = "Accept-Language";
    public static final String CONTENT_LANGUAGE = "Content-Language";

    private Languages() {
    }

    public static Locale best(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return DEFAULT;
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(acceptLanguage); // sorted by weight, highest first
        } catch (IllegalArgumentException e) {
            return DEFAULT;
        }
        for (Locale.LanguageRange range : ranges) {
            if (range.getWeight() <= 0) {
                continue;
            }
            String tag = range.getRange();
            if (tag.equals("*")) {
                return DEFAULT;
            }
            String language = tag.contains("-") ? tag.substring(0, tag.indexOf('-')) : tag;
            for (Locale supported : SUPPORTED) {
                if (supported.getLanguage().equalsIgnoreCase(language)) {
                    return supported;
                }
            }
        }
        return DEFAULT;
    }
}
