package io.warren.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mirror section is checked as a whole at start, with errors that say what is wrong. */
class PairConfigTest {

    @TempDir
    Path dir;

    private static PairConfig parse(String mirror) {
        return PairConfig.from(ConfigFactory.parseString(mirror)
            .withFallback(ConfigFactory.parseResources("warren.conf")).resolve().getConfig("warren.mirror"));
    }

    @Test
    void theDefaultsDescribeAPairOfAAndBWithAWitness() {
        PairConfig c = parse("");
        assertThat(c.enabled()).isFalse();
        assertThat(c.dataNodes()).containsExactly("a", "b");
        assertThat(c.peers()).extracting(p -> p.id()).containsExactly("a", "b", "witness");
        assertThat(c.replicationPeers()).containsOnlyKeys("a", "b");
        c.checkRole(false);
    }

    @Test
    void aWitnessGivenADataRoleAndADataNodeStartedAsWitnessAreRefused() {
        assertThatThrownBy(() -> parse("").checkRole(true))
            .hasMessageContaining("a witness cannot take the data role of node 'a'");
        assertThatThrownBy(() -> parse("warren.mirror.node = witness").checkRole(false))
            .hasMessageContaining("is the pair's witness: start it with `bin/warren witness`");
        assertThatThrownBy(() -> parse("warren.mirror.node = c").checkRole(false))
            .hasMessageContaining("not one of the pair's data nodes");
        parse("warren.mirror.node = witness").checkRole(true);
    }

    @Test
    void idsMustBeDistinctAndEveryMemberNeedsAnAddress() {
        assertThatThrownBy(() -> parse("warren.mirror.data-nodes = [a, a]"))
            .hasMessageContaining("two different nodes");
        assertThatThrownBy(() -> parse("warren.mirror.witness = b"))
            .hasMessageContaining("witness 'b' is also a data node");
        assertThatThrownBy(() -> parse("warren.mirror.data-nodes = [a, c]"))
            .hasMessageContaining("control-peers lacks an address for member 'c'");
        assertThatThrownBy(() -> parse("warren.mirror.replication-bind = \"nowhere\""))
            .hasMessageContaining("warren.mirror.replication-bind must be host:port");
    }

    @Test
    void systemPropertiesOverrideTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("w.conf"), "warren.mirror { enabled = true, node = b }\n");
        Properties props = new Properties();
        props.setProperty("warren.mirror.lease", "3s");
        PairConfig c = PairConfig.load(file, props);
        assertThat(c.enabled()).isTrue();
        assertThat(c.node()).isEqualTo("b");
        assertThat(c.leaseMillis()).isEqualTo(3000);
    }
}
