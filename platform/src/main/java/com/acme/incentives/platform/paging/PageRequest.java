package com.acme.incentives.platform.paging;

import io.quarkus.panache.common.Sort;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ?page=0&size=20&sort=field,asc} on every list operation ({@code @BeanParam PageRequest page}). Pages count
 * from 0; a size over {@value #MAX_SIZE} is refused rather than silently cut, so a client never mistakes a partial
 * list for a whole. A page past {@value #MAX_PAGE} is refused too: its offset (page × size) would not fit the
 * database's row offset. Which fields {@code sort} may name is declared per list with {@link Sortable}.
 */
public class PageRequest {

    public static final int MAX_SIZE = 200;
    /** MAX_PAGE × MAX_SIZE stays below Integer.MAX_VALUE, the largest offset a query takes. */
    public static final int MAX_PAGE = 10_000_000;
    public static final String SORT_PATTERN = "^[A-Za-z][A-Za-z0-9]{0,63}(,(asc|desc))?$";

    @QueryParam("page")
    @DefaultValue("0")
    @Min(value = 0, message = "{incentives.page}")
    @Max(value = MAX_PAGE, message = "{incentives.page}")
    public int page;

    @QueryParam("size")
    @DefaultValue("20")
    @Min(value = 1, message = "{incentives.size}")
    @Max(value = MAX_SIZE, message = "{incentives.size}")
    public int size;

    @QueryParam("sort")
    @Pattern(regexp = SORT_PATTERN, message = "{incentives.sort}")
    @Schema(description = "Sort order: `field,asc` or `field,desc` (`field` alone is ascending). The fields each list"
            + " can be sorted by are listed with it; without `sort`, the list's own order")
    public String sort;

    public PageRequest() {
    }

    public PageRequest(int page, int size) {
        this.page = page;
        this.size = size;
    }

    public long offset() {
        return (long) page * size;
    }

    /** The field the client asked to sort by, or null for the list's own order. */
    public String sortField() {
        if (sort == null || sort.isBlank()) {
            return null;
        }
        int comma = sort.indexOf(',');
        return comma < 0 ? sort : sort.substring(0, comma);
    }

    public boolean descending() {
        return sort != null && sort.endsWith(",desc");
    }

    /**
     * For a Panache query: the client's order by the entity property of the same name (or the one {@code properties}
     * maps it to), then the list's own order, which keeps pages stable when the sort field has equal values.
     */
    public Sort sort(Sort listOrder, Map<String, String> properties) {
        String field = sortField();
        if (field == null) {
            return listOrder;
        }
        String property = properties.getOrDefault(field, field);
        Sort sort = Sort.by(property, descending() ? Sort.Direction.Descending : Sort.Direction.Ascending);
        for (Sort.Column column : listOrder.getColumns()) {
            if (!column.getName().equals(property)) {
                sort.and(column.getName(), column.getDirection());
            }
        }
        return sort;
    }

    public Sort sort(Sort listOrder) {
        return sort(listOrder, Map.of());
    }

    /**
     * For SQL: an ORDER BY list (without the keywords) of the client's order then the list's own. Only the columns of
     * {@code columns} can appear, never the client's text, so nothing of the request reaches the SQL; a field the list
     * declared in {@link Sortable} but forgot here is a bug (IllegalStateException), not the client's fault.
     */
    public String orderBy(Map<String, String> columns, String listOrder) {
        String field = sortField();
        if (field == null) {
            return listOrder;
        }
        String column = columns.get(field);
        if (column == null) {
            throw new IllegalStateException("No column for sort field " + field);
        }
        List<String> parts = new ArrayList<>();
        parts.add(column + (descending() ? " desc" : " asc"));
        parts.add(listOrder);
        return String.join(", ", parts);
    }
}
