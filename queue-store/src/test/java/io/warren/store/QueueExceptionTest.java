package io.warren.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.store.QueueException.Reason;
import org.junit.jupiter.api.Test;

class QueueExceptionTest {

    @Test
    void textsAreRabbitMqs() {
        assertThat(QueueException.notFound("/", "q")).hasMessage("no queue 'q' in vhost '/'")
                .extracting(QueueException::reason).isEqualTo(Reason.NOT_FOUND);
        assertThat(QueueException.inUse("v", "q")).hasMessage("queue 'q' in vhost 'v' in use")
                .extracting(QueueException::reason).isEqualTo(Reason.PRECONDITION_FAILED);
        assertThat(QueueException.notEmpty("/", "q")).hasMessage("queue 'q' in vhost '/' not empty")
                .extracting(QueueException::reason).isEqualTo(Reason.PRECONDITION_FAILED);
        assertThat(QueueException.exclusiveUse("/", "q")).hasMessage("queue 'q' in vhost '/' in exclusive use")
                .extracting(QueueException::reason).isEqualTo(Reason.ACCESS_REFUSED);
        assertThat(QueueException.locked("/", "q"))
                .hasMessageStartingWith("cannot obtain exclusive access to locked queue 'q' in vhost '/'.")
                .extracting(QueueException::reason).isEqualTo(Reason.RESOURCE_LOCKED);
    }

    @Test
    void carriesNoStackTrace() {
        assertThat(new QueueException(Reason.NOT_FOUND, "x").getStackTrace()).isEmpty();
    }
}
