package io.warren.mirror.control;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * Asks, before a member starts its Raft server, whatever answers at each member's control plane address who it is,
 * so that a misconfigured member is refused at start with a clear reason instead of joining (or disturbing) the pair:
 * another process already answering as this member (two nodes with one id), a member answering under another id, and
 * a member whose reachable peers all belong to another pair. A member that does not answer is not judged (it may not
 * be started yet; the replication handshake checks again). Runs on the starting thread.
 */
final class StartupCheck {

    private StartupCheck() {
    }

    private enum Kind { SILENT, OTHER_GROUP, MEMBER }

    private record Answer(Kind kind, String id) {
    }

    /**
     * @param timeoutMillis how long to wait for each member's answer (a member that refuses the connection is known at once)
     * @throws IllegalStateException saying what is wrong, when what answers contradicts the configuration
     */
    static void verify(RaftGroup group, String pair, String self, long timeoutMillis) {
        RaftProperties props = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(timeoutMillis, TimeUnit.MILLISECONDS));
        List<String> confirm = new ArrayList<>();
        List<String> deny = new ArrayList<>();
        try (RaftClient client = RaftClient.newBuilder().setProperties(props).setRaftGroup(group)
            .setClientId(ClientId.randomId()).setRetryPolicy(RetryPolicies.noRetry()).build()) {
            for (RaftPeer peer : group.getPeers()) {
                String id = peer.getId().toString();
                Answer a = ask(client, group, peer);
                boolean mine = id.equals(self);
                if (a.kind() == Kind.MEMBER && mine) {
                    throw new IllegalStateException("another process already answers as member '" + self + "' of pair '" + pair
                        + "' at " + peer.getAddress() + ": two nodes have one id (check warren.mirror.node)");
                }
                if (a.kind() == Kind.MEMBER && a.id() != null && !a.id().equals(id)) {
                    throw new IllegalStateException("the member reached at " + peer.getAddress() + " for '" + id + "' answers as '"
                        + a.id() + "'" + (a.id().equals(self) ? ": two nodes have the id '" + self + "'" : "")
                        + " (check warren.mirror.node and warren.mirror.control-peers)");
                }
                if (a.kind() == Kind.OTHER_GROUP && mine) {
                    throw new IllegalStateException("another process, not of pair '" + pair + "', already listens at "
                        + peer.getAddress() + ", where the others reach member '" + self + "'");
                }
                if (a.kind() == Kind.MEMBER) {
                    confirm.add(id);
                } else if (a.kind() == Kind.OTHER_GROUP) {
                    deny.add("'" + id + "' (" + peer.getAddress() + ")");
                }
            }
        } catch (IOException e) {
            return; // closing the probe client failed: nothing was judged wrong
        }
        if (confirm.isEmpty() && !deny.isEmpty()) {
            throw new IllegalStateException("member '" + self + "' is configured for pair '" + pair + "', but member"
                + (deny.size() > 1 ? "s " : " ") + String.join(" and ", deny) + " answer" + (deny.size() > 1 ? "" : "s")
                + " for another pair: a node of another pair is not joined (check warren.mirror.pair)");
        }
    }

    private static Answer ask(RaftClient client, RaftGroup group, RaftPeer peer) {
        try {
            GroupInfoReply reply = client.getGroupManagementApi(peer.getId()).info(group.getGroupId());
            if (!reply.isSuccess()) {
                return reply.getException() instanceof GroupMismatchException ? new Answer(Kind.OTHER_GROUP, null)
                    : new Answer(Kind.SILENT, null);
            }
            String id = reply.getRoleInfoProto() == null ? null : reply.getRoleInfoProto().getSelf().getId().toStringUtf8();
            return new Answer(Kind.MEMBER, id == null || id.isEmpty() ? null : id);
        } catch (IOException | RuntimeException e) {
            // a Raft server without this pair's group answers "<id>: group-<id> not found." (over gRPC, as a status)
            String notFound = group.getGroupId() + " not found";
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof GroupMismatchException || String.valueOf(t.getMessage()).contains(notFound)) {
                    return new Answer(Kind.OTHER_GROUP, null);
                }
            }
            return new Answer(Kind.SILENT, null);
        }
    }
}
