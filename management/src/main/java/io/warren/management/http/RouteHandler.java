package io.warren.management.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Answers one matched request. Runs on the management event loop; may throw AdminException for a 4xx. */
@FunctionalInterface
public interface RouteHandler {
  Response handle(Request request) throws Exception;

  /**
   * The answer as {@link HttpApiHandler} asks for it: at once for ordinary routes, later for those made with
   * {@link #later}.
   */
  default CompletionStage<Response> answer(Request request) throws Exception {
    return CompletableFuture.completedFuture(handle(request));
  }

  /**
   * A route whose work must not hold the management event loop (stopping or starting the broker): {@code work} starts
   * it on a thread of its own and returns the answer to come; meanwhile the loop serves other connections, and this
   * one's next request waits for the answer (answers keep the order of requests).
   */
  static RouteHandler later(Later work) {
    return new RouteHandler() {
      @Override
      public Response handle(Request request) throws Exception {
        return work.answer(request).toCompletableFuture().get(); // only for callers outside HttpApiHandler
      }

      @Override
      public CompletionStage<Response> answer(Request request) throws Exception {
        return work.answer(request);
      }
    };
  }

  /** Work that answers later (a future completed by another thread). */
  @FunctionalInterface
  interface Later {
    CompletionStage<Response> answer(Request request) throws Exception;
  }
}
