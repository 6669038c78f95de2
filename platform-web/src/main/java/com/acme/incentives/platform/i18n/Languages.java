package com.acme.incentives.platform.i18n;

import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

import java.util.List;
import java.util.Locale;

/**
 * The languages the API speaks (English, Japanese, Korean) and the one a request asks for: the best of them by the
 * request's {@code Accept-Language} (q-values honoured, {@code ja-JP} is Japanese), English when it names none of
 * them. Problem answers say which in {@code Content-Language}.
 */
public final class Languages {

    public static final Locale DEFAULT = Locale.ENGLISH;
    public static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.JAPANESE, Locale.KOREAN);
    public static final String ACCEPT_LANGUAGE = "Accept-Language";
    public static final String CONTENT_LANGUAGE = "Content-Language";

    private Languages() {
    }

    /** The best supported language for an {@code Accept-Language} value; English when there is none or it is invalid. */
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
                continue; // q=0: "not this one"
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

    /** The language of the request being served on this thread; English outside a request. */
    public static Locale current() {
        ResteasyReactiveRequestContext request;
        try {
            request = CurrentRequestManager.get();
        } catch (RuntimeException | LinkageError e) {
            return DEFAULT;
        }
        if (request == null || request.serverRequest() == null) {
            return DEFAULT;
        }
        try {
            return best(request.serverRequest().getRequestHeader(ACCEPT_LANGUAGE));
        } catch (RuntimeException e) {
            return DEFAULT;
        }
    }

    /** One of {@link #SUPPORTED}: the locale's language if supported, else English. */
    public static Locale supported(Locale locale) {
        if (locale != null) {
            for (Locale supported : SUPPORTED) {
                if (supported.getLanguage().equals(locale.getLanguage())) {
                    return supported;
                }
            }
        }
        return DEFAULT;
    }

    /** The language tag for {@code Content-Language}. */
    public static String tag(Locale locale) {
        return supported(locale).toLanguageTag();
    }
}
