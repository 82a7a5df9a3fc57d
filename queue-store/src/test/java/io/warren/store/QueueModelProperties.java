package io.warren.store;

import java.util.function.IntFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/** Random sequences of queue operations against {@link QueueHarness}'s model. */
class QueueModelProperties {

    @Property(tries = 300)
    void behavesLikeTheModel(@ForAll("operations") ActionChain<QueueHarness> chain) {
        chain.run().drain();
    }

    @Provide
    Arbitrary<ActionChain<QueueHarness>> operations() {
        return ActionChain.startWith(QueueHarness::new)
                .withAction(4, Action.just(Transformer.mutate("enqueue", QueueHarness::enqueue)))
                .withAction(2, independent(Arbitraries.integers().between(1, 3)
                        .map(n -> Transformer.mutate("grant " + n, h -> h.grant(n)))))
                .withAction(Action.just(Transformer.mutate("get", h -> h.get(false))))
                .withAction(Action.just(Transformer.mutate("get no-ack", h -> h.get(true))))
                .withAction(2, whenHolding(pick -> Transformer.mutate("ack " + pick, h -> h.ack(pick))))
                .withAction(2, whenHolding(pick -> Transformer.mutate("requeue " + pick, h -> h.requeue(pick))))
                .withAction(whenHolding(pick -> Transformer.mutate("discard " + pick, h -> h.discard(pick))))
                .withAction(Action.just(Transformer.mutate("requeue all", QueueHarness::requeueAll)))
                .withAction(Action.just(Transformer.mutate("purge", QueueHarness::purge)))
                .withMaxTransformations(60);
    }

    private static Action.Independent<QueueHarness> independent(Arbitrary<Transformer<QueueHarness>> transformers) {
        return () -> transformers;
    }

    /** An operation on one of the held unacked entries, chosen by {@code pick}. */
    private static Action.Independent<QueueHarness> whenHolding(
            IntFunction<Transformer<QueueHarness>> operation) {
        Arbitrary<Transformer<QueueHarness>> transformers = Arbitraries.integers().between(0, 50).map(operation::apply);
        return new Action.Independent<>() {
            @Override
            public boolean precondition(QueueHarness harness) {
                return harness.holdsUnacked();
            }

            @Override
            public Arbitrary<Transformer<QueueHarness>> transformer() {
                return transformers;
            }
        };
    }
}
