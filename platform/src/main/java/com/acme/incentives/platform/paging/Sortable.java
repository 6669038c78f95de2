package com.acme.incentives.platform.paging;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The fields a list operation can be sorted by ({@code ?sort=field,asc} or {@code ?sort=field,desc}), named as in the
 * list's items. Declared once, on the resource method: the platform refuses any other field with a 400 naming these
 * (web/QueryParameters), and the API contract lists them for the operation's {@code sort} parameter
 * (openapi/ApiContractFilter). The query applies the order with {@link PageRequest#sort} (Panache) or
 * {@link PageRequest#orderBy} (SQL).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Sortable {

    /** The fields, in the order the contract lists them. */
    String[] value();
}
