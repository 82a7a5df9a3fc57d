package io.warren.server.durable;

import io.netty.buffer.ByteBuf;
import io.warren.amqp.FieldTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads what {@link RecordWriter} wrote, refusing lengths beyond the payload so that a damaged record fails with an
 * exception rather than a huge allocation. Confined to the thread decoding the record.
 */
final class RecordReader {
  private final ByteBuf in;

  RecordReader(ByteBuf in) {
    this.in = in;
  }

  String string() {
    int n = length();
    String s = in.toString(in.readerIndex(), n, StandardCharsets.UTF_8);
    in.skipBytes(n);
    return s;
  }

  String optional() {
    return in.readBoolean() ? string() : null;
  }

  List<String> strings() {
    return list(RecordReader::string);
  }

  <T> List<T> list(Function<RecordReader, T> element) {
    int n = length();
    List<T> list = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      list.add(element.apply(this));
    }
    return List.copyOf(list);
  }

  boolean bool() {
    return in.readBoolean();
  }

  int int32() {
    return in.readInt();
  }

  long int64() {
    return in.readLong();
  }

  double float64() {
    return in.readDouble();
  }

  byte[] bytes() {
    byte[] b = new byte[length()];
    in.readBytes(b);
    return b;
  }

  Map<String, Object> table() {
    return FieldTable.decode(in);
  }

  private int length() {
    int n = in.readInt();
    if (n < 0 || n > in.readableBytes()) {
      throw new IllegalArgumentException("length " + n + " beyond the record's " + in.readableBytes() + " bytes");
    }
    return n;
  }
}
