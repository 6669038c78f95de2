package com.acme.incentives.platform.concurrency;

import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.ProblemType;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Optimistic concurrency for updatable resources, one way in every service (RFC 9110 sections 8.8.3, 13.1.1):
 * <ul>
 * <li>a resource that can be updated has a version, a number that grows by one with every change a client makes;
 * its answers carry it as a strong entity tag, {@code ETag: "<version>"} ({@link #tag(long)});</li>
 * <li>an update sends {@code If-Match} with the tag it read; the service compares it with the version of the row it
 * locked ({@link #check(String, long)}): another tag is a 412 {@code /problems/precondition-failed} with the
 * current tag in {@code ETag}, so two people correcting the same resource never overwrite each other unseen;</li>
 * <li>{@code If-Match} is required on such updates: without it a 428 {@code /problems/precondition-required}.
 * A change made blind is exactly the lost update this prevents, and a client that really means "whatever is
 * there" says so with {@code If-Match: *}.</li>
 * </ul>
 * The tag names the version of the data clients write. What the service works out by itself without a client's
 * change (a validation outcome, "expired" by the passing of a date) does not make a new version: an update based on
 * it is not a lost update, and a 412 for it would only make clients retry.
 */
public final class Versions {

    public static final String IF_MATCH = "If-Match";
    public static final String ETAG = "ETag";

    private Versions() {
    }

    /** The strong entity tag of a version: {@code "3"}. */
    public static EntityTag tag(long version) {
        return new EntityTag(Long.toString(version));
    }

    /** The header value of {@link #tag(long)}, quotes included. */
    public static String header(long version) {
        return "\"" + version + "\"";
    }

    /** A success answer with the version's {@code ETag}. */
    public static Response.ResponseBuilder tagged(Response.ResponseBuilder response, long version) {
        return response.tag(tag(version));
    }

    /**
     * Refuses an update whose {@code If-Match} does not name the current version: 428 when absent, 400 when it is
     * not a list of entity tags, 412 (with the current {@code ETag}) when none matches. Weak tags ({@code W/"3"})
     * never match: If-Match compares strongly.
     */
    public static void check(String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ApiException(ProblemType.PRECONDITION_REQUIRED, PlatformMessages.IF_MATCH_REQUIRED);
        }
        String value = ifMatch.trim();
        if (value.equals("*")) {
            return;
        }
        List<String> tags = parse(value);
        if (tags == null) {
            throw ApiException.invalidField(IF_MATCH, PlatformMessages.IF_MATCH_FORMAT);
        }
        if (!tags.contains(header(currentVersion))) {
            throw new ApiException(ProblemType.PRECONDITION_FAILED, PlatformMessages.VERSION_CHANGED,
                    header(currentVersion))
                    .with("currentETag", header(currentVersion))
                    .header(ETAG, header(currentVersion));
        }
    }

    /** The strong tags of an If-Match list (weak ones left out), or null when it is not such a list. */
    static List<String> parse(String value) {
        List<String> tags = new ArrayList<>();
        for (String part : value.split(",")) {
            String tag = part.trim();
            boolean weak = tag.startsWith("W/");
            if (weak) {
                tag = tag.substring(2);
            }
            if (!isOpaqueTag(tag)) {
                return null;
            }
            if (!weak) {
                tags.add(tag);
            }
        }
        return tags;
    }

    /** opaque-tag = DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text. */
    private static boolean isOpaqueTag(String tag) {
        return tag.length() >= 2 && tag.charAt(0) == '"' && tag.charAt(tag.length() - 1) == '"'
                && tag.substring(1, tag.length() - 1).chars().allMatch(c -> c == 0x21 || c >= 0x23 && c != 0x7F);
    }
}
