package io.warren.management.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.management.api.TermHash.Atom;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TermHash against {@code erlang:phash2(Term, 1 bsl 32)} as Erlang/OTP 25 (the runtime of RabbitMQ 3.10.8 on Debian
 * 12) computes it for the same terms; the expected values were printed by that runtime.
 */
class TermHashTest {
  private static byte[] bin(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Object[] tuple(Object... elements) {
    return elements;
  }

  /** A list of one tuple ({@code List.of(array)} would spread the array's elements instead). */
  private static List<Object> one(Object element) {
    return Collections.singletonList(element);
  }

  private static Atom atom(String name) {
    return new Atom(name);
  }

  @Test
  void hashesAsTheErlangRuntimeDoes() {
    List<Object> terms = List.of(
        List.of(), bin(""), bin("abc"), bin("hello world, binary of more than twelve bytes"), atom("true"),
        0L, 1L, -1L, 134217727L, 134217728L, -134217728L, -134217729L, 1L << 40, -(1L << 40),
        BigInteger.ONE.shiftLeft(70), 1.5, 0.0, -2.25,
        tuple(atom("a"), bin("b"), 3L),
        List.of(tuple(bin("format"), atom("longstr"), bin("pdf")), tuple(bin("x-match"), atom("longstr"), bin("all"))),
        List.of(97L, 98L, 99L, 100L, 101L), List.of(1L, 2L, 300L),
        one(tuple(bin("a"), atom("table"), one(tuple(bin("b"), atom("signedint"), 1L)))),
        one(tuple(bin("a"), atom("array"), List.of(tuple(atom("longstr"), bin("x")), tuple(atom("long"), 5L)))),
        List.of(tuple(bin("n"), atom("long"), 5000000000L), tuple(bin("f"), atom("double"), 2.5),
            tuple(bin("t"), atom("bool"), atom("true")), tuple(bin("v"), atom("void"), atom("undefined"))));
    long[] expected = {3468870702L, 147926629L, 1306188027L, 1466566022L, 506293L, 3175731469L, 539485162L,
        1117813597L, 4273352567L, 2562491755L, 874979335L, 1418916782L, 282329375L, 2464100025L, 1070946125L,
        2023646235L, 423528920L, 2254282282L, 3996912657L, 433442974L, 2487089008L, 3014524901L, 3567652328L,
        3271178095L, 1319532235L};
    List<Long> got = new ArrayList<>();
    for (Object t : terms) {
      got.add(TermHash.phash2(t));
    }
    assertThat(got).containsExactly(java.util.Arrays.stream(expected).boxed().toArray(Long[]::new));
  }
}
