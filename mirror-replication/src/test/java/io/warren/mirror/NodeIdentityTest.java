package io.warren.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log directory says whose it is: another pair's or another node's is refused, and the history it joined stays. */
class NodeIdentityTest {

    @TempDir
    Path dir;

    @Test
    void aFreshDirectoryIsClaimedAndKeepsTheHistoryItJoined() throws Exception {
        NodeIdentity first = NodeIdentity.claim(dir, "p", "a");
        assertThat(first.history()).isNull();
        first.adopt("h-1");
        assertThat(NodeIdentity.claim(dir, "p", "a").history()).isEqualTo("h-1");
        assertThat(Files.readString(dir.resolve(NodeIdentity.FILE))).contains("pair=p", "node=a", "history=h-1");
    }

    @Test
    void anotherPairsOrAnotherNodesDirectoryIsRefused() throws Exception {
        NodeIdentity.claim(dir, "p", "a");
        assertThatThrownBy(() -> NodeIdentity.claim(dir, "q", "a")).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("belongs to node 'a' of pair 'p', not to pair 'q'");
        assertThatThrownBy(() -> NodeIdentity.claim(dir, "p", "b")).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("belongs to node 'a' of pair 'p', not to node 'b'");
        Files.writeString(dir.resolve(NodeIdentity.FILE), "garbage\n");
        assertThatThrownBy(() -> NodeIdentity.claim(dir, "p", "a")).hasMessageContaining("is not a mirror identity");
    }
}
