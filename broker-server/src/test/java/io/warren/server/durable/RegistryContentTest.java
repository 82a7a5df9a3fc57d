package io.warren.server.durable;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.server.auth.PasswordHash;
import io.warren.server.durable.PolicyRecords.PolicySet;
import io.warren.server.durable.PolicyRecords.UserLimitsSet;
import io.warren.server.durable.PolicyRecords.VhostLimitsSet;
import io.warren.server.durable.RegistryRecords.PermissionSet;
import io.warren.server.durable.RegistryRecords.TopicPermissionSet;
import io.warren.server.durable.RegistryRecords.UserDefined;
import io.warren.server.durable.RegistryRecords.UserDeleted;
import io.warren.server.durable.RegistryRecords.VhostDefined;
import io.warren.server.durable.RegistryRecords.VhostDeleted;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What registry records do, and that replaying their encoded form (or a snapshot of them) gives the same registry. */
class RegistryContentTest {
  private final List<DefinitionRecord> changes = new ArrayList<>();
  private final RegistryContent live = new RegistryContent();

  private void apply(DefinitionRecord r) {
    changes.add(r);
    assertThat(live.apply(r)).isTrue();
  }

  @Test
  void deletingAVhostOrAUserTakesWhatDependsOnIt() {
    apply(new VhostDefined("a", "", List.of()));
    apply(new VhostDefined("b", "", List.of()));
    apply(new UserDefined("ann", PasswordHash.of("x"), List.of(), false));
    apply(new UserDefined("bob", PasswordHash.of("y"), List.of(), false));
    apply(new PermissionSet("ann", "a", ".*", ".*", ".*"));
    apply(new PermissionSet("ann", "b", ".*", ".*", ".*"));
    apply(new PermissionSet("bob", "a", ".*", ".*", ".*"));
    apply(new TopicPermissionSet("bob", "a", "amq.topic", ".*", ".*"));
    apply(new PolicySet("a", "p", ".*", "all", 0, DefinitionCodecTest.DEFINITION));
    apply(new VhostLimitsSet("a", 1, 2));
    apply(new UserLimitsSet("ann", 3, 4));
    apply(new VhostDeleted("a"));
    assertThat(live.vhosts).containsOnlyKeys("b");
    assertThat(live.permissions.values()).extracting(PermissionSet::vhost).containsOnly("b");
    assertThat(live.topicPermissions).isEmpty();
    assertThat(live.policies).isEmpty();
    assertThat(live.vhostLimits).isEmpty();
    apply(new UserDeleted("ann"));
    assertThat(live.users).containsOnlyKeys("bob");
    assertThat(live.permissions).isEmpty();
    assertThat(live.userLimits).isEmpty();
    apply(new VhostLimitsSet("b", 5, -1));
    assertThat(live.vhostLimits).containsKey("b");
    apply(new VhostLimitsSet("b", -1, -1));
    assertThat(live.vhostLimits).isEmpty();
    assertThat(live.apply(new TopologyRecords.QueueDeleted("b", "q"))).as("topology is not the registry's").isFalse();
  }

  @Test
  void replayingTheEncodedChangesOrASnapshotRebuildsTheSameRegistry() {
    apply(new VhostDefined("a", "team a", List.of("t")));
    apply(new UserDefined("ann", PasswordHash.of("x"), List.of("management"), false));
    apply(new PermissionSet("ann", "a", "^ann", ".*", ""));
    apply(new TopicPermissionSet("ann", "a", "amq.topic", "^{username}", ".*"));
    apply(new PolicySet("a", "p", ".*", "queues", 3, DefinitionCodecTest.DEFINITION));
    apply(new UserLimitsSet("ann", -1, 9));
    RegistryContent replayed = new RegistryContent();
    for (DefinitionRecord r : changes) {
      ByteBuf buf = Unpooled.buffer();
      DefinitionCodec.encode(r, buf);
      replayed.apply(DefinitionCodec.decode(buf));
    }
    assertThat(snapshotBytes(replayed)).isEqualTo(snapshotBytes(live));
    RegistryContent fromSnapshot = new RegistryContent();
    ByteBuf buf = Unpooled.buffer();
    DefinitionCodec.encode(live.snapshot(List.of()), buf);
    fromSnapshot.load((DefinitionsSnapshot) DefinitionCodec.decode(buf));
    assertThat(fromSnapshot.defined()).isTrue();
    assertThat(snapshotBytes(fromSnapshot)).isEqualTo(snapshotBytes(live));
  }

  private static byte[] snapshotBytes(RegistryContent c) {
    return DefinitionCodecTest.bytes(c.snapshot(List.of()));
  }
}
