package io.warren.server.channel;

import io.warren.store.EnqueueOutcome;
import io.warren.store.log.SyncCallback;

/**
 * What a publish waits for: each target queue taking it and, for a persistent message routed to durable queues,
 * its log record being durable (one more arrival, from the log's writer thread). Any thread.
 */
interface PublishOutcome extends EnqueueOutcome, SyncCallback {}
