package io.warren.mirror.control;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated state of a pair ({@link ControlState}) as a Ratis state machine. Ratis calls it on its
 * own threads, applying committed commands one at a time; the state is one immutable value swapped under
 * this object's monitor. Snapshots are the one-line encoded state in a file named by term and index.
 *
 * <p>Replies: {@code OK <state>} when a command applied, {@code REJECTED <why>} when it did not fit. A query answers
 * {@code <state> @<term>:<index>}, the Raft entry that made the state (-1:-1 when restored from a snapshot and unchanged
 * since): a backup uses it to tell since when it has held that entry ({@link ControlPlane.Agreed}).
 */
final class PairStateMachine extends BaseStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(PairStateMachine.class);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private volatile ControlState state = ControlState.INITIAL;
    /** The Raft entry whose command made {@link #state}, or -1. */
    private long stateTerm = -1;
    private long stateIndex = -1;

    ControlState state() {
        return state;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        getLifeCycle().startAndTransition(() -> {
            storage.init(raftStorage);
            load(storage.loadLatestSnapshot());
        });
    }

    /**
     * Ratis pauses the state machine before it installs a snapshot from the leader (a member back after the others
     * purged the entries it missed), and requires it paused when it reloads: left running, the reload failed and
     * closed this member's Raft server for good.
     */
    @Override
    public void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** After a snapshot was installed: the state is the snapshot's, and the state machine runs again. */
    @Override
    public void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    private synchronized void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        state = ControlState.decode(Files.readAllBytes(file.toPath()));
        stateTerm = -1;
        stateIndex = -1;
        setLastAppliedTermIndex(snapshot.getTermIndex());
        LOG.info("Control state restored from snapshot {}: {}", file.getName(), state);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public synchronized long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        File tmp = new File(file.getParentFile(), file.getName() + ".tmp");
        Files.write(tmp.toPath(), state.encode());
        Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE);
        // Ratis takes the newest snapshot that has its MD5 file: without one, a member that restarted loaded an older
        // snapshot (one installed from the leader, which comes with its MD5) below the Raft log it had purged, so its
        // state could never catch up and, once it led, its reads never completed.
        MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.loadLatestSnapshot();
        return last.getIndex();
    }

    @Override
    public synchronized CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.valueOf(new String(state.encode(), StandardCharsets.UTF_8)
            + " @" + stateTerm + ":" + stateIndex));
    }

    @Override
    public synchronized CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
        String reply;
        try {
            ControlCommand command = ControlCommand.decode(data);
            ControlState next = command.apply(state);
            if (!(command instanceof ControlCommand.Renew)) {
                LOG.info("Control state: {} (after {})", next, new String(data, StandardCharsets.UTF_8));
            }
            state = next;
            stateTerm = entry.getTerm();
            stateIndex = entry.getIndex();
            reply = "OK " + new String(next.encode(), StandardCharsets.UTF_8);
        } catch (ControlCommand.Rejected e) {
            reply = "REJECTED " + e.getMessage();
        } catch (RuntimeException e) {
            reply = "REJECTED malformed command: " + e;
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(Message.valueOf(reply));
    }
}
