package com.acme.incentives.identity.service;

import com.acme.incentives.identity.IdentityMessages;
import com.acme.incentives.platform.i18n.Languages;
import com.acme.incentives.platform.problem.ApiException;

import java.util.List;

/**
 * A user's preferred language: one of the languages the platform speaks ({@link Languages#SUPPORTED}), as the bare
 * tag Keycloak's realm lists in {@code supportedLocales} and its account console writes to the same {@code locale}
 * attribute. Exact tags only (no {@code ja-JP}, no upper case), so that every service reading the attribute or the
 * events compares plain strings.
 */
public final class UserLocales {

    /** The Keycloak user attribute (mapped to the token's {@code locale} claim by the realm). */
    public static final String ATTRIBUTE = "locale";

    static final List<String> TAGS = Languages.SUPPORTED.stream().map(Languages::tag).toList();

    private UserLocales() {
    }

    /** The locale itself when supported or null (not chosen); else a 400 naming the field. */
    public static String check(String field, String locale) {
        if (locale == null || TAGS.contains(locale)) {
            return locale;
        }
        throw ApiException.invalidField(field, IdentityMessages.UNSUPPORTED_LOCALE, String.join(", ", TAGS));
    }
}
