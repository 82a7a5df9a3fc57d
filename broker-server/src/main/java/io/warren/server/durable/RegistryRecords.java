package io.warren.server.durable;

import io.warren.server.auth.PasswordHash;
import java.util.List;
import java.util.Objects;

/**
 * Records of the runtime registry's vhosts, users, permissions and topic permissions. Layouts after kind and version
 * (version 1), strings as {@link RecordWriter} writes them: vhost = name, description, tags; user = name, optional
 * password hash (RabbitMQ's base64 salted SHA-256; absent: no password login), tags, loopback-only; permission = user,
 * vhost, configure, write, read; topic permission = user, vhost, exchange, write, read. A deletion carries the key.
 * Immutable; any thread.
 */
public final class RegistryRecords {
  private RegistryRecords() {}

  static final int VHOST_DEFINED = 0x90;
  static final int VHOST_DELETED = 0x91;
  static final int USER_DEFINED = 0x92;
  static final int USER_DELETED = 0x93;
  static final int PERMISSION_SET = 0x94;
  static final int PERMISSION_CLEARED = 0x95;
  static final int TOPIC_PERMISSION_SET = 0x96;
  static final int TOPIC_PERMISSION_CLEARED = 0x97;

  public record VhostDefined(String name, String description, List<String> tags) implements DefinitionRecord {
    public VhostDefined {
      Objects.requireNonNull(name, "name");
      description = description == null ? "" : description;
      tags = List.copyOf(tags);
    }

    @Override public int kind() {
      return VHOST_DEFINED;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(name).string(description).strings(tags);
    }

    static VhostDefined read(RecordReader in) {
      return new VhostDefined(in.string(), in.string(), in.strings());
    }
  }

  public record VhostDeleted(String name) implements DefinitionRecord {
    @Override public int kind() {
      return VHOST_DELETED;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(name);
    }

    static VhostDeleted read(RecordReader in) {
      return new VhostDeleted(in.string());
    }
  }

  /** @param passwordHash null: the user cannot log in with a password */
  public record UserDefined(String name, PasswordHash passwordHash, List<String> tags, boolean loopbackOnly)
      implements DefinitionRecord {
    public UserDefined {
      Objects.requireNonNull(name, "name");
      tags = List.copyOf(tags);
    }

    @Override public int kind() {
      return USER_DEFINED;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(name).optional(passwordHash == null ? null : passwordHash.encoded()).strings(tags).bool(loopbackOnly);
    }

    static UserDefined read(RecordReader in) {
      String name = in.string();
      String hash = in.optional();
      return new UserDefined(name, hash == null ? null : PasswordHash.parse(hash), in.strings(), in.bool());
    }
  }

  public record UserDeleted(String name) implements DefinitionRecord {
    @Override public int kind() {
      return USER_DELETED;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(name);
    }

    static UserDeleted read(RecordReader in) {
      return new UserDeleted(in.string());
    }
  }

  public record PermissionSet(String user, String vhost, String configure, String write, String read)
      implements DefinitionRecord {
    @Override public int kind() {
      return PERMISSION_SET;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(user).string(vhost).string(configure).string(write).string(read);
    }

    static PermissionSet read(RecordReader in) {
      return new PermissionSet(in.string(), in.string(), in.string(), in.string(), in.string());
    }
  }

  public record PermissionCleared(String user, String vhost) implements DefinitionRecord {
    @Override public int kind() {
      return PERMISSION_CLEARED;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(user).string(vhost);
    }

    static PermissionCleared read(RecordReader in) {
      return new PermissionCleared(in.string(), in.string());
    }
  }

  public record TopicPermissionSet(String user, String vhost, String exchange, String write, String read)
      implements DefinitionRecord {
    @Override public int kind() {
      return TOPIC_PERMISSION_SET;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(user).string(vhost).string(exchange).string(write).string(read);
    }

    static TopicPermissionSet read(RecordReader in) {
      return new TopicPermissionSet(in.string(), in.string(), in.string(), in.string(), in.string());
    }
  }

  /** @param exchange the exchange whose topic permission goes */
  public record TopicPermissionCleared(String user, String vhost, String exchange) implements DefinitionRecord {
    @Override public int kind() {
      return TOPIC_PERMISSION_CLEARED;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(user).string(vhost).string(exchange);
    }

    static TopicPermissionCleared read(RecordReader in) {
      return new TopicPermissionCleared(in.string(), in.string(), in.string());
    }
  }
}
