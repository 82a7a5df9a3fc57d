package io.warren.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * Builds queues and messages for tests and collects every failure their executors report, so that a
 * swallowed exception (say, a double release) fails the test. Queues run on the calling thread by
 * default, so that every operation has finished when it returns. {@link #close} lets go of whatever a
 * test left held, so that the paranoid leak detector only reports real leaks. Test thread only.
 */
final class QueueFixture {

    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final List<MessageQueue> deleted = new CopyOnWriteArrayList<>();
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    MessageQueue queue(String name) {
        return queue(QueueSettings.named(name));
    }

    MessageQueue autoDeleteQueue(String name) {
        return queue(new QueueSettings(name, false, false, true, Map.of()));
    }

    MessageQueue queue(QueueSettings settings) {
        return queue(settings, Runnable::run, SerialExecutor.DEFAULT_TASKS_PER_TURN);
    }

    MessageQueue queue(QueueSettings settings, Executor pool, int tasksPerTurn) {
        SerialExecutor executor = new SerialExecutor(pool, "queue " + settings.name(), tasksPerTurn, failures::add);
        return new MessageQueue("/", settings, executor, deleted::add);
    }

    void assertNoFailures() {
        assertThat(failures).isEmpty();
    }

    /** Checks for failures, then releases what the test still held. */
    void close() {
        assertNoFailures();
        for (Message message : messages) {
            if (message.refCnt() > 0) {
                message.release(message.refCnt());
            }
        }
    }

    Message message(long id) {
        Message message = TestMessages.message(id);
        messages.add(message);
        return message;
    }

    /** The value of a future the same-thread executor has already completed. */
    static <T> T done(CompletableFuture<T> future) {
        assertThat(future).isDone();
        return future.join();
    }

    /** Publishes messages with the given ids, each holding one reference owned by the queue. */
    Message[] enqueue(MessageQueue queue, long... ids) {
        Message[] published = new Message[ids.length];
        for (int i = 0; i < ids.length; i++) {
            published[i] = message(ids[i]);
            queue.enqueue(published[i], null);
        }
        return published;
    }
}
