package io.warren.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Misconfigured members are refused at start, each with an error that says what is wrong, and the running pair goes on
 * serving: a backup whose log belongs to another history, a node of another pair, a second node with an id in use, a
 * node given another node's Raft storage, a witness given a data role (and a data node started as the witness).
 */
class PairMisconfigurationIT {

    @TempDir
    Path dir;

    @Test
    void misconfiguredMembersAreRefusedAtStart() throws Exception {
        Path earlierDir = dir.resolve("earlier");
        Path current = dir.resolve("pair");
        // An earlier pair of the same name on the same addresses: its node b's log is of another history.
        try (LocalPair earlier = LocalPair.start(earlierDir)) {
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(earlier::bothInSync);
        }
        copyTree(earlierDir.resolve("b/log"), current.resolve("b/log")); // the log, with its mirror-identity
        try (LocalPair pair = LocalPair.start(current)) { // returns once a client publishes with confirms through HAProxy
            long b = pair.pid("b");
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> ProcessHandle.of(b).map(h -> !h.isAlive()).orElse(true));
            assertThat(Files.readString(current.resolve("b.log")))
                .contains("Warren stops: the log in " + current.resolve("b/log") + " was written under").contains("another history");
            assertThat(pair.primaryStatus("b")).isEqualTo(-1);

            String a = Files.readString(current.resolve("a.conf"));
            String bConf = Files.readString(current.resolve("b.conf"));
            String witness = Files.readString(current.resolve("witness.conf"));

            // a node of another pair, with a data directory of its own: the members it reaches answer for another pair
            LocalPair.Exit other = pair.runMember(config(current, "other-pair.conf",
                withDataDir(bConf, current.resolve("other")).replaceFirst("pair = \"[^\"]*\"", "pair = \"another-pair\"")), "b", false, 90);
            assertThat(other.status()).as(other.output()).isEqualTo(1);
            assertThat(other.output()).contains("Warren could not start: member 'b' is configured for pair 'another-pair', but members "
                + "'a'").contains("answer for another pair");

            // a second node with the id 'a' (its own data directory and ports): the first answers as 'a' where 'a' is reached
            LocalPair.Exit twin = pair.runMember(config(current, "a-twin.conf", withDataDir(a, current.resolve("a-twin"))),
                "a", false, 90);
            assertThat(twin.status()).as(twin.output()).isEqualTo(1);
            assertThat(twin.output()).contains("Warren could not start: another process already answers as member 'a'")
                .contains("two nodes have one id");

            // b's data directory given to a node that calls itself a
            LocalPair.Exit borrowed = pair.runMember(config(current, "a-on-b.conf", withDataDir(a, current.resolve("b"))),
                "a", false, 90);
            assertThat(borrowed.status()).as(borrowed.output()).isEqualTo(1);
            assertThat(borrowed.output()).contains("Warren could not start: directory " + current.resolve("b/log")
                + " belongs to node 'b' of pair", "not to node 'a'");

            // a's control plane storage (Raft log and votes) copied under node b (b is down: its log was refused above)
            copyTree(current.resolve("a/control"), current.resolve("b-copy/control"));
            LocalPair.Exit copiedRaft = pair.runMember(config(current, "b-copy.conf", withDataDir(bConf, current.resolve("b-copy"))),
                "b", false, 90);
            assertThat(copiedRaft.status()).as(copiedRaft.output()).isEqualTo(1);
            assertThat(copiedRaft.output()).contains("Warren could not start: directory " + current.resolve("b-copy/control")
                + " belongs to node 'a' of pair", "not to node 'b'");

            // a witness given a data role, and a data node started as the witness
            LocalPair.Exit witnessAsData = pair.runMember(config(current, "w-data.conf", withDataDir(a, current.resolve("w2"))),
                "witness", true, 90);
            assertThat(witnessAsData.status()).as(witnessAsData.output()).isEqualTo(1);
            assertThat(witnessAsData.output()).contains("a witness cannot take the data role of node 'a'");
            LocalPair.Exit dataAsWitness = pair.runMember(config(current, "data-w.conf", withDataDir(witness, current.resolve("w3"))),
                "witness", false, 90);
            assertThat(dataAsWitness.status()).as(dataAsWitness.output()).isEqualTo(1);
            assertThat(dataAsWitness.output()).contains("is the pair's witness: start it with `bin/warren witness`");

            assertThat(pair.primaryStatus("a")).as("the pair's primary serves throughout").isEqualTo(200);
        }
    }

    private static String withDataDir(String config, Path dataDir) {
        return config.replaceFirst("data-dir = \"[^\"]*\"", "data-dir = \"" + dataDir + "\"");
    }

    private static Path config(Path dir, String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    try {
                        Files.copy(p, target);
                    } catch (java.nio.file.NoSuchFileException e) {
                        // a live member's file renamed meanwhile (a Raft log segment closed): the rest is enough
                    }
                }
            }
        }
    }
}
