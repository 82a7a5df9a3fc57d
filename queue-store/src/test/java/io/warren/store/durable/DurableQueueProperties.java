package io.warren.store.durable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Random sequences of publish (also bursts deep enough to page out), deliver, ack, requeue, discard, purge, compaction and restart on a durable
 * queue over the real log, against {@link DurableQueueHarness}'s model.
 */
class DurableQueueProperties {
    private final List<DurableQueueHarness> opened = new ArrayList<>();

    @Property(tries = 30)
    void survivesRestartsLikeTheModel(@ForAll("operations") ActionChain<DurableQueueHarness> chain) {
        try {
            chain.run().drain();
        } finally {
            opened.forEach(DurableQueueHarness::close);
            opened.clear();
        }
    }

    @Provide
    Arbitrary<ActionChain<DurableQueueHarness>> operations() {
        return ActionChain.startWith(this::open)
                .withAction(5, Action.just(Transformer.mutate("publish", DurableQueueHarness::publish)))
                .withAction(new Action.JustMutate<DurableQueueHarness>() {
                    @Override
                    public boolean precondition(DurableQueueHarness harness) {
                        return harness.shallow();
                    }

                    @Override
                    public void mutate(DurableQueueHarness harness) {
                        harness.publishBurst();
                    }

                    @Override
                    public String description() {
                        return "publish 1100";
                    }
                })
                .withAction(3, independent(Arbitraries.integers().between(1, 3)
                        .map(n -> Transformer.mutate("deliver " + n, h -> h.deliver(n)))))
                .withAction(2, whenHolding(pick -> Transformer.mutate("ack " + pick, h -> h.ack(pick))))
                .withAction(2, whenHolding(pick -> Transformer.mutate("requeue " + pick, h -> h.requeue(pick))))
                .withAction(whenHolding(pick -> Transformer.mutate("discard " + pick, h -> h.discard(pick))))
                .withAction(Action.just(Transformer.mutate("purge", DurableQueueHarness::purge)))
                .withAction(Action.just(Transformer.mutate("compact", DurableQueueHarness::compact)))
                .withAction(2, Action.just(Transformer.mutate("restart", DurableQueueHarness::restart)))
                .withMaxTransformations(40);
    }

    private DurableQueueHarness open() {
        DurableQueueHarness harness = new DurableQueueHarness();
        opened.add(harness);
        return harness;
    }

    private static Action.Independent<DurableQueueHarness> independent(
            Arbitrary<Transformer<DurableQueueHarness>> transformers) {
        return () -> transformers;
    }

    /** An operation on one of the held unacked messages, chosen by {@code pick}. */
    private static Action.Independent<DurableQueueHarness> whenHolding(
            IntFunction<Transformer<DurableQueueHarness>> operation) {
        Arbitrary<Transformer<DurableQueueHarness>> transformers =
                Arbitraries.integers().between(0, 20).map(operation::apply);
        return new Action.Independent<>() {
            @Override
            public boolean precondition(DurableQueueHarness harness) {
                return harness.holdsUnacked();
            }

            @Override
            public Arbitrary<Transformer<DurableQueueHarness>> transformer() {
                return transformers;
            }
        };
    }
}
