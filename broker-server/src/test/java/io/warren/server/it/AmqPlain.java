package io.warren.server.it;

import com.rabbitmq.client.LongString;
import com.rabbitmq.client.SaslConfig;
import com.rabbitmq.client.SaslMechanism;
import com.rabbitmq.client.impl.LongStringHelper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.FieldTable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AMQPLAIN SASL mechanism (RabbitMQ's own: a field table of LOGIN and PASSWORD without its length prefix), which
 * the Java client does not ship. Stateless; any thread.
 */
final class AmqPlain implements SaslMechanism {
  private AmqPlain() {}

  /** A SaslConfig that always picks AMQPLAIN, whatever the broker offers. */
  static SaslConfig config() {
    return mechanisms -> new AmqPlain();
  }

  /** The start-ok response bytes for the given credentials. */
  static byte[] response(String username, String password) {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("LOGIN", io.warren.amqp.LongString.of(username));
    table.put("PASSWORD", io.warren.amqp.LongString.of(password));
    ByteBuf buf = Unpooled.buffer();
    FieldTable.encode(table, buf);
    buf.skipBytes(4); // AMQPLAIN leaves out the table's length
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  @Override
  public String getName() {
    return "AMQPLAIN";
  }

  @Override
  public LongString handleChallenge(LongString challenge, String username, String password) {
    return LongStringHelper.asLongString(response(username, password));
  }
}
