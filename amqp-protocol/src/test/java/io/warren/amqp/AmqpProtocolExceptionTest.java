package io.warren.amqp;

import io.warren.amqp.generated.ReplyCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AmqpProtocolExceptionTest {

    @Test
    void levelFollowsTheSpecUnlessChosenExplicitly() {
        assertThat(AmqpProtocolException.of(ReplyCode.NOT_FOUND, "no queue 'q'", 50, 10))
                .isInstanceOf(ChannelException.class);
        assertThat(AmqpProtocolException.of(ReplyCode.COMMAND_INVALID, "x", 0, 0).connectionLevel()).isTrue();
        // RabbitMQ closes the connection with 403 when a vhost is refused.
        assertThat(new ConnectionException(ReplyCode.ACCESS_REFUSED, "vhost").connectionLevel()).isTrue();
    }

    @Test
    void replyTextIsPrefixedAndFitsAShortstr() {
        ChannelException e = new ChannelException(ReplyCode.NOT_FOUND, "no queue 'q' in vhost '/'", 50, 10);
        assertThat(e.replyText()).isEqualTo("NOT_FOUND - no queue 'q' in vhost '/'");
        assertThat(e.replyCode()).isEqualTo(404);
        String long_ = new ChannelException(ReplyCode.NOT_FOUND, "é".repeat(300)).replyText();
        assertThat(long_.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(long_).endsWith("é");
    }

    @Test
    void replyCodesCarryTheSpecClassification() {
        assertThat(ReplyCode.of(312)).isEqualTo(ReplyCode.NO_ROUTE);
        assertThat(ReplyCode.FRAME_ERROR.hardError()).isTrue();
        assertThat(ReplyCode.PRECONDITION_FAILED.softError()).isTrue();
        assertThat(ReplyCode.REPLY_SUCCESS.hardError() || ReplyCode.REPLY_SUCCESS.softError()).isFalse();
        assertThatThrownBy(() -> ReplyCode.of(999)).isInstanceOf(IllegalArgumentException.class);
    }
}
