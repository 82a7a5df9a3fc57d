package io.warren.store;

import java.util.List;

/** Collects basic.get results into a list (failures as QueueException entries in another). Test thread only. */
final class RecordingGet implements GetCallback {

    private final List<GetResult> results;
    private final List<QueueException> failures;

    RecordingGet(List<GetResult> results) {
        this(results, null);
    }

    RecordingGet(List<GetResult> results, List<QueueException> failures) {
        this.results = results;
        this.failures = failures;
    }

    @Override
    public void onResult(GetResult result) {
        results.add(result);
    }

    @Override
    public void onFailure(QueueException failure) {
        if (failures == null) {
            throw new AssertionError("unexpected get failure", failure);
        }
        failures.add(failure);
    }
}
