package io.warren.server.channel;

import io.warren.amqp.AmqpMethod;
import io.warren.amqp.AmqpProtocolException;
import io.warren.amqp.ChannelException;
import io.warren.amqp.ConnectionException;
import io.warren.amqp.generated.ReplyCode;
import io.warren.routing.RoutingException;
import io.warren.store.QueueException;
import java.util.concurrent.CompletionException;

/** Maps the engine modules' errors to AMQP exceptions tied to the method that failed. Stateless; any thread. */
final class Errors {
  private Errors() {}

  static AmqpProtocolException of(Throwable t, AmqpMethod method) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    int classId = method == null ? 0 : method.classId();
    int methodId = method == null ? 0 : method.methodId();
    if (e instanceof AmqpProtocolException p) {
      if (p.classId() != 0 || method == null) {
        return p;
      }
      return p.connectionLevel() ? new ConnectionException(p.code(), p.getMessage(), classId, methodId)
          : new ChannelException(p.code(), p.getMessage(), classId, methodId);
    }
    if (e instanceof RoutingException r) {
      return switch (r.reason()) {
        case NOT_FOUND -> new ChannelException(ReplyCode.NOT_FOUND, r.text(), classId, methodId);
        case PRECONDITION_FAILED -> new ChannelException(ReplyCode.PRECONDITION_FAILED, r.text(), classId, methodId);
        case ACCESS_REFUSED -> new ChannelException(ReplyCode.ACCESS_REFUSED, r.text(), classId, methodId);
        case COMMAND_INVALID -> new ConnectionException(ReplyCode.COMMAND_INVALID, r.text(), classId, methodId);
      };
    }
    if (e instanceof QueueException q) {
      ReplyCode code = switch (q.reason()) {
        case NOT_FOUND -> ReplyCode.NOT_FOUND;
        case PRECONDITION_FAILED -> ReplyCode.PRECONDITION_FAILED;
        case RESOURCE_LOCKED -> ReplyCode.RESOURCE_LOCKED;
        case ACCESS_REFUSED -> ReplyCode.ACCESS_REFUSED;
      };
      return new ChannelException(code, q.getMessage(), classId, methodId);
    }
    if (e instanceof IllegalArgumentException) {
      return new ChannelException(ReplyCode.PRECONDITION_FAILED, String.valueOf(e.getMessage()), classId, methodId);
    }
    return new ConnectionException(ReplyCode.INTERNAL_ERROR, "internal error: " + e, classId, methodId);
  }
}
