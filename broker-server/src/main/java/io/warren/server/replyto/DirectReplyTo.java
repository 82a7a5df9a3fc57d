package io.warren.server.replyto;

import io.warren.store.Message;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RabbitMQ's direct reply-to: the pseudo-queue {@code amq.rabbitmq.reply-to}, whose consumer is a channel rather than
 * a queue. A channel consuming it gets a name {@code amq.rabbitmq.reply-to.<token>} that its requests carry as
 * reply-to; a reply published to that name on the default exchange goes straight to the channel, without a queue.
 *
 * <p>The token is an id (which registration) and 16 random bytes (so that a name cannot be guessed from another),
 * base64url-encoded; only a current registration with the same id and secret receives. Thread-safe: channels
 * register from their event loops, publishers look names up from theirs.
 */
public final class DirectReplyTo {
  /** The pseudo-queue a client consumes from, and the reply-to value it publishes with. */
  public static final String QUEUE = "amq.rabbitmq.reply-to";
  /** The start of every generated reply name. */
  public static final String PREFIX = QUEUE + ".";

  private static final int SECRET_BYTES = 16;
  private static final int TOKEN_BYTES = Long.BYTES + SECRET_BYTES;

  private final SecureRandom random = new SecureRandom();
  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentHashMap<Long, Registration> registrations = new ConcurrentHashMap<>();

  /** Where replies for one registration go; implemented by the consuming channel. */
  public interface ReplyConsumer {
    /**
     * A reply for {@code registration}. Called on the publisher's thread; takes over one reference of the message
     * (release it, also when the reply is dropped because the consumer went away meanwhile).
     */
    void deliver(Registration registration, Message message, String exchange, String routingKey);
  }

  /** One consume on the pseudo-queue: the name replies are addressed to, and who receives them. */
  public static final class Registration {
    private final long id;
    private final byte[] secret;
    private final String name;
    private final ReplyConsumer consumer;

    private Registration(long id, byte[] secret, String name, ReplyConsumer consumer) {
      this.id = id;
      this.secret = secret;
      this.name = name;
      this.consumer = consumer;
    }

    /** {@code amq.rabbitmq.reply-to.<token>}: the reply-to value of this consumer's requests. */
    public String name() {
      return name;
    }

    /** Hands a reply to the consumer; takes over one reference of the message. */
    public void deliver(Message message, String exchange, String routingKey) {
      consumer.deliver(this, message, exchange, routingKey);
    }
  }

  /** Registers a consumer under a new, unguessable reply name. */
  public Registration register(ReplyConsumer consumer) {
    long id = ids.incrementAndGet();
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    byte[] token = ByteBuffer.allocate(TOKEN_BYTES).putLong(id).put(secret).array();
    String name = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    Registration r = new Registration(id, secret, name, consumer);
    registrations.put(id, r);
    return r;
  }

  /** Replies to that registration's name are no longer delivered (and mandatory ones are returned). */
  public void unregister(Registration registration) {
    registrations.remove(registration.id, registration);
  }

  /** True for names in the reply-to namespace: the pseudo-queue itself or a generated reply name. */
  public static boolean isReplyName(String name) {
    return name.startsWith(QUEUE) && (name.length() == QUEUE.length() || name.startsWith(PREFIX));
  }

  /** The current registration a reply name is addressed to, or null (never was, or its consumer went away). */
  public Registration find(String name) {
    if (!name.startsWith(PREFIX)) {
      return null;
    }
    byte[] token;
    try {
      token = Base64.getUrlDecoder().decode(name.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (token.length != TOKEN_BYTES) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(token);
    Registration r = registrations.get(b.getLong());
    if (r == null) {
      return null;
    }
    byte[] secret = new byte[SECRET_BYTES];
    b.get(secret);
    return MessageDigest.isEqual(secret, r.secret) ? r : null;
  }
}
