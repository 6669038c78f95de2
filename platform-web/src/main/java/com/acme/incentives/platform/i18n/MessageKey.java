package com.acme.incentives.platform.i18n;

import java.util.Locale;

/**
 * One text a person reads in an answer, by key: implemented by an enum per module (the platform's
 * {@link PlatformMessages}, each service's own), so a key used in code is a constant the compiler checks and a test
 * checks that each constant has its text in every language ({@link Messages#missing}). The properties key is the
 * constant's name in lower case with dashes ({@code NOT_A_LOCATION} is {@code not-a-location}); for a field error it
 * is also the error's machine {@code code}.
 */
public interface MessageKey {

    /** The resource bundle's base name, e.g. {@code messages/problems} ({@code problems.properties} is English). */
    String bundle();

    String name();

    default String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The machine code of a field error with this message: the key, unless the constant says otherwise. */
    default String code() {
        return key();
    }

    /** The text in the language of the current request (English outside a request). */
    default String text(Object... args) {
        return Messages.text(Languages.current(), this, args);
    }
}
