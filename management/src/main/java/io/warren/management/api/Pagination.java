package io.warren.management.api;

import io.warren.management.http.Request;
import io.warren.management.spi.AdminException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * RabbitMQ's list query parameters: {@code sort}/{@code sort_reverse} on any list; with {@code page}, also
 * {@code page_size} (1..500, default 100), {@code name} (case-insensitive substring, or a regex with
 * {@code use_regex=true}) and the paged object {filtered_count, item_count, items, page, page_count, page_size,
 * total_count}. Pure.
 */
public final class Pagination {
  static final int MAX_PAGE_SIZE = 500;

  private Pagination() {
  }

  /**
   * Like {@link #apply(Request, List)} for objects not yet turned into JSON: without {@code sort}, only the requested
   * page is turned into JSON (a 10,000-queue listing builds 500 rows, not 10,000).
   */
  public static <T> Object apply(Request r, List<T> items, java.util.function.Function<T, String> nameOf,
      java.util.function.Function<T, Map<String, Object>> view) {
    String sortKey = r.query("sort");
    if (sortKey != null && !sortKey.isEmpty()) {
      return apply(r, items.stream().map(view).toList());
    }
    if (r.query("page") == null) {
      return items.stream().map(view).toList();
    }
    int[] ps = pageAndSize(r);
    java.util.function.Predicate<String> match = nameFilter(r);
    List<T> filtered = match == null ? items : items.stream().filter(i -> match.test(nameOf.apply(i))).toList();
    return paged(ps[0], ps[1], filtered.size(), items.size(), i -> view.apply(filtered.get(i)));
  }

  /** Filters, sorts and pages the rows as the request asks; returns a list or the paged object. */
  public static Object apply(Request r, List<Map<String, Object>> rows) {
    List<Map<String, Object>> sorted = sort(r, rows);
    if (r.query("page") == null) {
      return sorted;
    }
    int[] ps = pageAndSize(r);
    java.util.function.Predicate<String> match = nameFilter(r);
    List<Map<String, Object>> filtered = match == null ? sorted
        : sorted.stream().filter(row -> row.get("name") != null && match.test(row.get("name").toString())).toList();
    return paged(ps[0], ps[1], filtered.size(), rows.size(), filtered::get);
  }

  private static int[] pageAndSize(Request r) {
    int page = r.intQuery("page", 1);
    int size = r.intQuery("page_size", 100);
    if (page < 1 || size < 1 || size > MAX_PAGE_SIZE) {
      throw new AdminException(400, "invalid_pagination_parameters", "Invalid pagination parameters: page number "
          + page + ", page size " + size + " (pages start at 1, page_size is 1.." + MAX_PAGE_SIZE + ")");
    }
    return new int[] {page, size};
  }

  private static Map<String, Object> paged(int page, int size, int filteredCount, int totalCount,
      java.util.function.IntFunction<Map<String, Object>> row) {
    int pageCount = (filteredCount + size - 1) / size;
    if (page > Math.max(1, pageCount)) {
      throw new AdminException(400, "page_out_of_range", "Page out of range, page: " + page + " page size: " + size
          + ", len: " + filteredCount);
    }
    int from = Math.min(filteredCount, (page - 1) * size);
    int to = Math.min(filteredCount, from + size);
    List<Map<String, Object>> items = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      items.add(row.apply(i));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("filtered_count", filteredCount);
    out.put("item_count", items.size());
    out.put("items", items);
    out.put("page", page);
    out.put("page_count", pageCount);
    out.put("page_size", size);
    out.put("total_count", totalCount);
    return out;
  }

  /** The name filter of the request, or null when there is none. */
  private static java.util.function.Predicate<String> nameFilter(Request r) {
    String name = r.query("name");
    if (name == null || name.isEmpty()) {
      return null;
    }
    java.util.function.Predicate<String> match;
    if ("true".equals(r.query("use_regex"))) {
      try {
        Pattern p = Pattern.compile(name, Pattern.CASE_INSENSITIVE);
        match = s -> p.matcher(s).find();
      } catch (PatternSyntaxException e) {
        throw AdminException.badRequest("name is not a valid regular expression: " + e.getDescription());
      }
    } else {
      String lower = name.toLowerCase(Locale.ROOT);
      match = s -> s.toLowerCase(Locale.ROOT).contains(lower);
    }
    return match;
  }

  private static List<Map<String, Object>> sort(Request r, List<Map<String, Object>> rows) {
    String key = r.query("sort");
    if (key == null || key.isEmpty()) {
      return rows;
    }
    Comparator<Map<String, Object>> c = Comparator.comparing(row -> lookup(row, key), Pagination::compareValues);
    if ("true".equals(r.query("sort_reverse"))) {
      c = c.reversed();
    }
    List<Map<String, Object>> out = new ArrayList<>(rows);
    out.sort(c);
    return out;
  }

  /** A dotted key ("message_stats.publish_details.rate") in nested maps, or null. */
  @SuppressWarnings("unchecked")
  static Object lookup(Map<String, Object> row, String key) {
    Object cur = row;
    for (String part : key.split("\\.")) {
      if (!(cur instanceof Map)) {
        return null;
      }
      cur = ((Map<String, Object>) cur).get(part);
    }
    return cur;
  }

  private static int compareValues(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    return a.toString().compareTo(b.toString());
  }
}
