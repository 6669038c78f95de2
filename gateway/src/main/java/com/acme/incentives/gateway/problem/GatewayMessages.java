package com.acme.incentives.gateway.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The gateway's texts (bundle {@code messages/gateway}: English in the base file, {@code _ja}, {@code _ko}), told as
 * the services tell theirs (docs/conventions.md, "Languages"): the key is the constant's name in lower case with
 * dashes, {@code {0}}, {@code {1}}… are replaced by the arguments as they are. The titles of {@link ProblemType} are
 * here too, as {@code title-<type>}.
 */
public enum GatewayMessages {
    NOTHING_AT_THIS_PATH,
    NO_API_OPERATION,
    AUTHENTICATION_REQUIRED,
    NOT_ALLOWED,
    BODY_TOO_LARGE,
    UNEXPECTED_ERROR,
    RATE_LIMITED,
    SIGN_IN_OR_TOKEN,
    SESSION_SIGNED_OUT,
    BEARER_TOKEN_INVALID,
    SESSION_ENDED,
    CSRF_TOKEN_MISSING,
    CSRF_TOKEN_FOREIGN,
    CSRF_ORIGIN,
    SIGN_IN_UNAVAILABLE,
    URI_TOO_LONG,
    HEADERS_TOO_LARGE,
    RELAYED_HEADERS_TOO_LARGE,
    BODY_LARGER_THAN,
    BODY_EXCEEDS_LIMIT,
    SERVICE_UNREACHABLE,
    SERVICE_TIMEOUT;

    private static final String BUNDLE = "messages/gateway";
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String text(Locale language, Object... args) {
        return lookup(language, key(), args);
    }

    /** A text and its arguments, told in a language only when it is sent. */
    public record Text(GatewayMessages key, Object... args) {

        public String in(Locale language) {
            return key.text(language, args);
        }

        /** For the log. */
        @Override
        public String toString() {
            return in(Languages.DEFAULT);
        }
    }

    public Text with(Object... args) {
        return new Text(this, args);
    }

    static String lookup(Locale language, String key, Object... args) {
        String pattern;
        try {
            pattern = bundle(language).getString(key);
        } catch (MissingResourceException e) {
            pattern = key; // GatewayMessagesTest keeps this from happening
        }
        StringBuilder out = new StringBuilder(pattern);
        for (int i = args.length - 1; i >= 0; i--) {
            String placeholder = "{" + i + "}";
            for (int at = out.indexOf(placeholder); at >= 0; at = out.indexOf(placeholder, at + 1)) {
                String value = String.valueOf(args[i]);
                out.replace(at, at + placeholder.length(), value);
                at += value.length() - 1;
            }
        }
        return out.toString();
    }

    static ResourceBundle bundle(Locale language) {
        Locale supported = Languages.SUPPORTED.stream().filter(l -> l.getLanguage().equals(language.getLanguage()))
                .findFirst().orElse(Languages.DEFAULT);
        return ResourceBundle.getBundle(BUNDLE, supported, GatewayMessages.class.getClassLoader(), NO_FALLBACK);
    }

    /** The keys (constants and titles) without a text in some language, and texts no key names. Empty when complete. */
    public static List<String> missing() {
        List<String> missing = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (GatewayMessages message : values()) {
            keys.add(message.key());
        }
        for (ProblemType type : ProblemType.values()) {
            keys.add(type.titleKey());
        }
        for (Locale language : Languages.SUPPORTED) {
            ResourceBundle bundle = bundle(language);
            if (!language.equals(Languages.DEFAULT) && !bundle.getLocale().equals(language)) {
                missing.add(language + ": the bundle " + BUNDLE);
                continue;
            }
            for (String key : keys) {
                if (!bundle.keySet().contains(key) || bundle.getString(key).isBlank()) {
                    missing.add(language + ": " + key);
                }
            }
            for (String key : bundle.keySet()) {
                if (!keys.contains(key)) {
                    missing.add(language + ": " + key + " is named by no key");
                }
            }
        }
        return missing;
    }
}
