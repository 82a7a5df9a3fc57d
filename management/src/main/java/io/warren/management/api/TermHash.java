package io.warren.management.api;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Erlang's {@code erlang:phash2/1} (the portable 32-bit term hash) of the few kinds of terms an AMQP field table
 * becomes in RabbitMQ: binaries ({@code byte[]}), atoms ({@link Atom}), integers ({@code Long}, {@code Integer},
 * {@code BigInteger}), floats ({@code Double}), lists ({@code List}) and tuples ({@code Object[]}). RabbitMQ names a
 * binding with arguments by this hash of its argument table, so the same value here gives the same properties key.
 * The hash is defined by the Erlang runtime: a Bob Jenkins mix over the term's parts, walked depth-first. Pure.
 */
final class TermHash {
  /** An Erlang atom. */
  record Atom(String name) {}

  private static final int GOLDEN = 0x9e3779b9;
  private static final int C2 = 0x3c6ef372;
  private static final int C3 = 0xdaa66d2b;
  private static final int C4 = 0x78dde6e4;
  private static final int C9 = 0x8ff34781;
  private static final int C10 = 0x2e2ac13a;
  private static final int C11 = 0xcc623af3;
  private static final int C12 = 0x6a99b4ac;
  private static final int C13 = 0x08d12e65;
  /** The hash of [] on its own. */
  private static final int EMPTY_LIST = (int) 3468870702L;
  private static final long SMALL_MIN = -(1L << 27);
  private static final long SMALL_MAX = (1L << 27) - 1;
  /** Marks the empty list's place on the work stack. */
  private static final Object NIL = new Object();

  private int hash;

  private TermHash() {
  }

  /** phash2(Term) over the whole 32-bit range, i.e. phash2(Term, 1 bsl 32), as an unsigned value. */
  static long phash2(Object term) {
    return new TermHash().walk(term) & 0xffffffffL;
  }

  private int walk(Object start) {
    Deque<Object> stack = new ArrayDeque<>();
    Object term = start;
    while (true) {
      if (term instanceof List<?> list && !list.isEmpty()) {
        term = list(list, stack);
        continue;
      }
      if (term instanceof Object[] tuple) {
        mixOne(tuple.length, C9);
        if (tuple.length > 0) {
          for (int i = tuple.length - 1; i >= 1; i--) {
            stack.push(tuple[i]);
          }
          term = tuple[0];
          continue;
        }
      } else if (term == NIL || term instanceof List<?>) {
        if (hash == 0) {
          hash = EMPTY_LIST;
        } else {
          mixOne(2, C2); // the runtime mixes [] in as 2
        }
      } else if (term instanceof byte[] binary) {
        int initial = C13 + hash;
        hash = binary.length == 0 ? initial : block(binary, initial);
      } else if (term instanceof Atom atom) {
        int value = atomValue(atom.name());
        if (hash == 0) {
          hash = value;
        } else {
          mixOne(value, C3);
        }
      } else if (term instanceof Double d) {
        long bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
        mixTwo((int) (bits >>> 32), (int) bits, C12);
      } else if (term instanceof Integer || term instanceof Long || term instanceof BigInteger) {
        integer(term instanceof BigInteger b ? b : BigInteger.valueOf(((Number) term).longValue()));
      } else {
        throw new IllegalArgumentException("no Erlang term for " + (term == null ? "null" : term.getClass()));
      }
      if (stack.isEmpty()) {
        return hash;
      }
      term = stack.pop();
    }
  }

  /** A non-empty list: its leading bytes (a string) are hashed four at a time; returns what to walk next. */
  private Object list(List<?> list, Deque<Object> stack) {
    int count = 0;
    int packed = 0;
    int i = 0;
    while (i < list.size() && isByte(list.get(i))) {
      packed = (packed << 8) + ((Number) list.get(i)).intValue();
      if (count == 3) {
        mixOne(packed, C4);
        count = 0;
        packed = 0;
      } else {
        count++;
      }
      i++;
    }
    if (count > 0) {
      mixOne(packed, C4);
    }
    if (i == list.size()) {
      return NIL;
    }
    stack.push(i + 1 == list.size() ? NIL : list.subList(i + 1, list.size()));
    return list.get(i);
  }

  private static boolean isByte(Object o) {
    return (o instanceof Integer || o instanceof Long) && ((Number) o).longValue() >= 0
        && ((Number) o).longValue() <= 255;
  }

  private void integer(BigInteger value) {
    if (value.compareTo(BigInteger.valueOf(SMALL_MIN)) >= 0 && value.compareTo(BigInteger.valueOf(SMALL_MAX)) <= 0) {
      int y = value.intValue();
      if (y < 0) {
        mixOne(-y, GOLDEN);
      }
      mixOne(y, GOLDEN);
      return;
    }
    // a bignum: its magnitude in 64-bit digits, least significant first, each mixed as two 32-bit halves
    int constant = value.signum() < 0 ? C10 : C11;
    BigInteger magnitude = value.abs();
    BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    do {
      long digit = magnitude.and(mask).longValue();
      mixTwo((int) digit, (int) (digit >>> 32), constant);
      magnitude = magnitude.shiftRight(64);
    } while (magnitude.signum() > 0);
  }

  /** The atom table's hash of an atom's name (hashpjw over its Latin-1 bytes). */
  private static int atomValue(String name) {
    int h = 0;
    for (byte b : name.getBytes(StandardCharsets.ISO_8859_1)) {
      h = (h << 4) + (b & 0xff);
      int g = h & 0xf0000000;
      if (g != 0) {
        h ^= g >>> 24;
        h ^= g;
      }
    }
    return h;
  }

  private void mixOne(int x, int constant) {
    mixTwo(x, 0, constant);
  }

  private void mixTwo(int x, int y, int constant) {
    int[] abc = {constant + x, constant + y, hash};
    mix(abc);
    hash = abc[2];
  }

  /** Bob Jenkins' lookup2 hash of a byte block, starting from {@code initial}. */
  private static int block(byte[] k, int initial) {
    int[] abc = {GOLDEN, GOLDEN, initial};
    int at = 0;
    int len = k.length;
    while (len >= 12) {
      abc[0] += word(k, at);
      abc[1] += word(k, at + 4);
      abc[2] += word(k, at + 8);
      mix(abc);
      at += 12;
      len -= 12;
    }
    abc[2] += k.length;
    // the tail: c's lowest byte holds the length, so c takes bytes 8..10 from its second byte on
    for (int i = len - 1; i >= 0; i--) {
      int b = k[at + i] & 0xff;
      if (i >= 8) {
        abc[2] += b << (8 * (i - 7));
      } else if (i >= 4) {
        abc[1] += b << (8 * (i - 4));
      } else {
        abc[0] += b << (8 * i);
      }
    }
    mix(abc);
    return abc[2];
  }

  private static int word(byte[] k, int at) {
    return (k[at] & 0xff) | (k[at + 1] & 0xff) << 8 | (k[at + 2] & 0xff) << 16 | (k[at + 3] & 0xff) << 24;
  }

  private static void mix(int[] abc) {
    int a = abc[0];
    int b = abc[1];
    int c = abc[2];
    a -= b; a -= c; a ^= c >>> 13;
    b -= c; b -= a; b ^= a << 8;
    c -= a; c -= b; c ^= b >>> 13;
    a -= b; a -= c; a ^= c >>> 12;
    b -= c; b -= a; b ^= a << 16;
    c -= a; c -= b; c ^= b >>> 5;
    a -= b; a -= c; a ^= c >>> 3;
    b -= c; b -= a; b ^= a << 10;
    c -= a; c -= b; c ^= b >>> 15;
    abc[0] = a;
    abc[1] = b;
    abc[2] = c;
  }
}
