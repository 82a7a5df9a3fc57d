package io.warren.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.ConnectionException;
import io.warren.amqp.FieldTable;
import io.warren.amqp.LongString;
import io.warren.amqp.generated.ReplyCode;
import io.warren.amqp.generated.ConnectionOpen;
import io.warren.amqp.generated.ConnectionStart;
import io.warren.amqp.generated.ConnectionStartOk;
import io.warren.amqp.generated.ConnectionTune;
import io.warren.amqp.generated.ConnectionTuneOk;
import io.warren.server.Broker;
import io.warren.server.auth.SaslCredentials;
import io.warren.server.auth.User;
import io.warren.server.config.BrokerConfig;
import io.warren.server.vhost.BrokerVhost;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/**
 * The connection handshake: start / start-ok (SASL PLAIN or AMQPLAIN), tune / tune-ok, open. Confined to the
 * connection's event loop.
 */
final class Handshake {
  private static final int FRAME_MIN_SIZE = 4096;

  enum Step { AWAIT_START_OK, AWAIT_TUNE_OK, AWAIT_OPEN, DONE }

  private final Broker broker;
  private final InetAddress peer;
  private Step step = Step.AWAIT_START_OK;
  private User user;
  private Map<String, Object> clientProperties = Map.of();
  private int channelMax;
  /** The channel-max this connection's tune offered (operators may change the broker's meanwhile). */
  private int offeredChannelMax;
  private int frameMax;
  private int heartbeat;
  private BrokerVhost vhost;
  /** The vhost name asked for in connection.open (the registry admits the connection under it). */
  private String vhostName;
  private String mechanism;
  private final io.warren.server.registry.LiveConnection connection;

  Handshake(Broker broker, InetAddress peer, io.warren.server.registry.LiveConnection connection) {
    this.broker = broker;
    this.peer = peer;
    this.connection = connection;
  }

  ConnectionStart start() {
    return new ConnectionStart(0, 9, ServerProperties.of(broker.config().server()),
        LongString.of("PLAIN AMQPLAIN"), LongString.of("en_US"));
  }

  Step step() {
    return step;
  }

  /** Handles one handshake method; returns the reply to send, or null. */
  AmqpMethod handle(AmqpMethod method) {
    switch (step) {
      case AWAIT_START_OK -> {
        ConnectionStartOk ok = expect(method, ConnectionStartOk.class);
        clientProperties = ok.clientProperties();
        user = authenticate(ok);
        BrokerConfig.Limits limits = broker.config().limits();
        step = Step.AWAIT_TUNE_OK;
        offeredChannelMax = broker.channelMax().current();
        return new ConnectionTune(offeredChannelMax, limits.frameMax(), limits.heartbeatSeconds());
      }
      case AWAIT_TUNE_OK -> {
        tune(expect(method, ConnectionTuneOk.class));
        step = Step.AWAIT_OPEN;
        return null;
      }
      case AWAIT_OPEN -> {
        ConnectionOpen open = expect(method, ConnectionOpen.class);
        vhost = openVhost(open.virtualHost());
        step = Step.DONE;
        return new io.warren.amqp.generated.ConnectionOpenOk();
      }
      default -> throw new IllegalStateException("handshake already done");
    }
  }

  private <T extends AmqpMethod> T expect(AmqpMethod method, Class<T> type) {
    if (!type.isInstance(method)) {
      String expected = switch (step) {
        case AWAIT_START_OK -> "connection.start-ok";
        case AWAIT_TUNE_OK -> "connection.tune-ok";
        default -> "connection.open";
      };
      throw new ConnectionException(ReplyCode.COMMAND_INVALID, "expected '" + expected + "' but received '"
          + method.amqpName() + "'", method.classId(), method.methodId());
    }
    return type.cast(method);
  }

  private User authenticate(ConnectionStartOk ok) {
    mechanism = ok.mechanism();
    SaslCredentials credentials = switch (ok.mechanism()) {
      case "PLAIN" -> SaslCredentials.plain(ok.response().toByteArray());
      case "AMQPLAIN" -> amqplain(ok.response());
      default -> throw new ConnectionException(ReplyCode.COMMAND_INVALID,
          "unknown authentication mechanism '" + ok.mechanism() + "'", ok.classId(), ok.methodId());
    };
    StringBuilder why = new StringBuilder();
    Optional<User> found = credentials == null ? Optional.empty()
        : broker.accessControl().authenticate(credentials.username(), credentials.password(), peer, why);
    if (found.isEmpty()) {
      throw new LoginRefused(ok.mechanism(), clientProperties, "Login refused for user '"
          + (credentials == null ? "?" : credentials.username()) + "' from " + peer.getHostAddress() + ": "
          + (credentials == null ? "malformed " + ok.mechanism() + " response" : why));
    }
    return found.get();
  }

  /** AMQPLAIN: a field table, without its length prefix, holding LOGIN and PASSWORD. */
  private static SaslCredentials amqplain(LongString response) {
    byte[] bytes = response.toByteArray();
    ByteBuf buf = Unpooled.buffer(bytes.length + 4).writeInt(bytes.length).writeBytes(bytes);
    try {
      Map<String, Object> table = FieldTable.decode(buf);
      Object login = table.get("LOGIN");
      Object password = table.get("PASSWORD");
      return login == null || password == null ? null : new SaslCredentials(login.toString(), password.toString());
    } catch (RuntimeException e) {
      return null;
    } finally {
      buf.release();
    }
  }

  private void tune(ConnectionTuneOk ok) {
    BrokerConfig.Limits limits = broker.config().limits();
    long clientFrameMax = ok.frameMax() == 0 ? Integer.MAX_VALUE : ok.frameMax();
    if (clientFrameMax < FRAME_MIN_SIZE) {
      throw new ConnectionException(ReplyCode.NOT_ALLOWED, "frame_max=" + ok.frameMax() + " < "
          + FRAME_MIN_SIZE + " min size", ok.classId(), ok.methodId());
    }
    if (clientFrameMax > limits.frameMax()) {
      throw new ConnectionException(ReplyCode.NOT_ALLOWED, "frame_max=" + ok.frameMax() + " > "
          + limits.frameMax() + " max size", ok.classId(), ok.methodId());
    }
    frameMax = (int) clientFrameMax;
    // as RabbitMQ (after frame_max), a channel-max above the server's (0 is "no limit") is refused rather than lowered
    if (ok.channelMax() == 0 || ok.channelMax() > offeredChannelMax) {
      throw new ConnectionException(ReplyCode.NOT_ALLOWED, "negotiated channel_max = " + ok.channelMax()
          + (ok.channelMax() == 0 ? " (no limit)" : "") + " is higher than the maximum allowed value ("
          + offeredChannelMax + ")", ok.classId(), ok.methodId());
    }
    channelMax = ok.channelMax();
    heartbeat = ok.heartbeat();
  }

  private BrokerVhost openVhost(String name) {
    if (broker.vhost(name) == null) {
      throw new ConnectionException(ReplyCode.NOT_ALLOWED, "vhost " + name + " not found", 10, 40);
    }
    if (!broker.accessControl().mayOpen(user.name(), name)) {
      throw new ConnectionException(ReplyCode.NOT_ALLOWED, "access to vhost '" + name + "' refused for user '"
          + user.name() + "'", 10, 40);
    }
    vhostName = name;
    // the registry counts it against the vhost's and user's connection limits (530 with RabbitMQ's text if reached)
    BrokerVhost v = broker.registry().admit(connection);
    if (v == null) {
      vhostName = null;
      throw new ConnectionException(ReplyCode.NOT_ALLOWED, "vhost " + name + " not found", 10, 40);
    }
    return v;
  }

  /** The vhost asked for, once connection.open names it; null before. */
  String vhostName() {
    return vhostName;
  }

  String mechanism() {
    return mechanism;
  }

  User user() {
    return user;
  }

  BrokerVhost vhost() {
    return vhost;
  }

  int channelMax() {
    return channelMax;
  }

  int frameMax() {
    return frameMax;
  }

  int heartbeat() {
    return heartbeat;
  }

  Map<String, Object> clientProperties() {
    return clientProperties;
  }
}
