package io.warren.server.durable;

import io.netty.buffer.ByteBuf;
import io.warren.amqp.FieldTable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes the fields of a typed definition record: strings as a 4-byte length and UTF-8, numbers big-endian, lists as
 * a 4-byte count, AMQP arguments as field tables. Confined to the thread encoding the record.
 */
final class RecordWriter {
  private final ByteBuf out;

  RecordWriter(ByteBuf out) {
    this.out = out;
  }

  RecordWriter header(int kind, int version) {
    out.writeByte(kind);
    out.writeByte(version);
    return this;
  }

  RecordWriter string(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.writeBytes(bytes);
    return this;
  }

  /** A string that may be absent. */
  RecordWriter optional(String s) {
    out.writeBoolean(s != null);
    return s == null ? this : string(s);
  }

  RecordWriter strings(List<String> list) {
    out.writeInt(list.size());
    list.forEach(this::string);
    return this;
  }

  RecordWriter bool(boolean b) {
    out.writeBoolean(b);
    return this;
  }

  RecordWriter int32(int i) {
    out.writeInt(i);
    return this;
  }

  RecordWriter int64(long l) {
    out.writeLong(l);
    return this;
  }

  RecordWriter float64(double d) {
    out.writeDouble(d);
    return this;
  }

  RecordWriter bytes(byte[] b) {
    out.writeInt(b.length);
    out.writeBytes(b);
    return this;
  }

  RecordWriter table(Map<String, Object> arguments) {
    FieldTable.encode(arguments, out);
    return this;
  }

  ByteBuf buffer() {
    return out;
  }
}
