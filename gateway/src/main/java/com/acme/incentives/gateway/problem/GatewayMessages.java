package com.acme.incentives.gateway.problem;

import com.acme.incentives.platform.i18n.Languages;
import com.acme.incentives.platform.i18n.MessageKey;
import com.acme.incentives.platform.i18n.Messages;

import java.util.List;
import java.util.Locale;

/**
 * The gateway's texts (bundle {@code messages/gateway}: English in the base file, {@code _ja}, {@code _ko}), read as
 * the services read theirs (platform-web's {@link Messages}; docs/conventions.md, "Languages"): the key is the
 * constant's name in lower case with dashes, {@code {0}}, {@code {1}}… are replaced by the arguments as they are. The
 * problems' titles are the services' own ({@code ProblemType}).
 */
public enum GatewayMessages implements MessageKey {
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

    @Override
    public String bundle() {
        return "messages/gateway";
    }

    /** In the language the gateway chose for the request (it has no JAX-RS request to read it from). */
    public String text(Locale language, Object... args) {
        return Messages.text(language, this, args);
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

    /** The keys without a text in some language, and texts no key names. Empty when complete. */
    public static List<String> missing() {
        return Messages.missing(GatewayMessages.class);
    }
}
