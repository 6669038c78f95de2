package com.acme.incentives.platform.i18n;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Reads texts from the message bundles (UTF-8 properties: {@code name.properties} is English, {@code name_ja} and
 * {@code name_ko} the others). Arguments replace {@code {0}}, {@code {1}}… as they are (no number or date formatting,
 * no quoting rules: an ID 1234567 stays 1234567).
 */
public final class Messages {

    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private Messages() {
    }

    public static String text(Locale locale, MessageKey key, Object... args) {
        String pattern;
        try {
            pattern = bundle(key, locale).getString(key.key());
        } catch (MissingResourceException e) {
            // MessagesCompletenessTest keeps this from happening; an answer is still better than a failure.
            pattern = key.key();
        }
        return format(pattern, args);
    }

    static ResourceBundle bundle(MessageKey key, Locale locale) {
        ClassLoader loader = key.getClass().getClassLoader();
        return ResourceBundle.getBundle(key.bundle(), Languages.supported(locale), loader, NO_FALLBACK);
    }

    static String format(String pattern, Object... args) {
        if (args == null || args.length == 0 || pattern.indexOf('{') < 0) {
            return pattern;
        }
        StringBuilder out = new StringBuilder(pattern.length() + 32);
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            int close = c == '{' ? pattern.indexOf('}', i) : -1;
            if (close > i + 1) {
                String index = pattern.substring(i + 1, close);
                if (index.chars().allMatch(Character::isDigit)) {
                    int n = Integer.parseInt(index);
                    out.append(n < args.length ? String.valueOf(args[n]) : pattern.substring(i, close + 1));
                    i = close + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /**
     * What is missing for the keys of {@code keys} (an enum implementing {@link MessageKey}): "ja: not-a-location" for
     * each key without a text in a language, and each key a bundle has that no constant names. Empty when complete.
     */
    public static <E extends Enum<E> & MessageKey> List<String> missing(Class<E> keys) {
        List<String> missing = new ArrayList<>();
        E[] constants = keys.getEnumConstants();
        if (constants.length == 0) {
            return missing;
        }
        for (Locale language : Languages.SUPPORTED) {
            ResourceBundle bundle;
            try {
                bundle = bundle(constants[0], language);
            } catch (MissingResourceException e) {
                missing.add(language + ": the bundle " + constants[0].bundle());
                continue;
            }
            if (!bundle.getLocale().getLanguage().equals(language.getLanguage())
                    && !(language.equals(Languages.DEFAULT) && bundle.getLocale().getLanguage().isEmpty())) {
                missing.add(language + ": the bundle " + constants[0].bundle() + " (found " + bundle.getLocale() + ")");
                continue;
            }
            java.util.Set<String> known = new java.util.HashSet<>();
            for (E constant : constants) {
                known.add(constant.key());
                if (!bundle.keySet().contains(constant.key()) || bundle.getString(constant.key()).isBlank()) {
                    missing.add(language + ": " + constant.key());
                }
            }
            for (String key : bundle.keySet()) {
                if (!known.contains(key)) {
                    missing.add(language + ": " + key + " is in the bundle but no constant of " + keys.getSimpleName());
                }
            }
        }
        return missing;
    }
}
