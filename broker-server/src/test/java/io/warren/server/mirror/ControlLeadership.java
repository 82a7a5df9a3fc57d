package io.warren.server.mirror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * Moves the Raft leadership of a {@link LocalPair}'s control plane to a member, from outside the pair (a Ratis admin
 * request straight to the members' control ports), so that a scenario can start with the backup leading.
 */
final class ControlLeadership {

    private ControlLeadership() {
    }

    /** Asks the pair on {@code base} to make {@code member} its Raft leader; true once it does. */
    static boolean transferTo(int base, String member) {
        RaftGroupId id = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("warren-pair:warren-pair-" + base)
            .getBytes(StandardCharsets.UTF_8)));
        List<RaftPeer> peers = List.of(peer("a", base + 21), peer("b", base + 22), peer("witness", base + 23));
        RaftProperties props = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(2, TimeUnit.SECONDS));
        try (RaftClient client = RaftClient.newBuilder().setProperties(props).setRaftGroup(RaftGroup.valueOf(id, peers))
            .setClientId(ClientId.randomId())
            .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(10, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
            .build()) {
            RaftClientReply reply = client.admin().transferLeadership(RaftPeerId.valueOf(member), 5000);
            return reply.isSuccess();
        } catch (IOException e) {
            return false;
        }
    }

    private static RaftPeer peer(String id, int port) {
        return RaftPeer.newBuilder().setId(id).setAddress("127.0.0.1:" + port).build();
    }
}
