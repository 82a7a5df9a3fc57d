package io.warren.management.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.Principal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one aggregated HTTP request into a {@link Request}, authenticates it (HTTP Basic), runs the matching route
 * and writes its {@link Response}. Errors become RabbitMQ's {"error","reason"} JSON; an unexpected exception is
 * logged and answered 500 without its stack trace. A route made with {@link RouteHandler#later} answers from another
 * thread; its answer is written on the event loop. Confined to the management event loop.
 */
public final class HttpApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApiHandler.class);

  /** Checks a user's password; returns null when the login fails. */
  public interface Authenticator {
    Principal authenticate(String user, String password, InetAddress peer);
  }

  /** Finds the route of a request (a {@link Router}'s match, or a choice among several). */
  public interface Routes {
    Router.Match match(String method, List<String> segments);
  }

  private final Routes routes;
  private final Authenticator authenticator;

  public HttpApiHandler(Routes routes, Authenticator authenticator) {
    this.routes = routes;
    this.authenticator = authenticator;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
    boolean keepAlive = HttpUtil.isKeepAlive(msg);
    boolean head = msg.method().name().equals("HEAD");
    if (!msg.decoderResult().isSuccess()) {
      write(ctx, Response.error(400, "bad_request", "malformed HTTP request"), false, head);
      return;
    }
    String method = msg.method().name();
    String uri = msg.uri();
    CompletableFuture<Response> answer = answer(ctx, msg).toCompletableFuture()
        .handle((r, e) -> e == null ? r : failure(method, uri, e instanceof CompletionException && e.getCause() != null
            ? e.getCause() : e));
    if (answer.isDone()) {
      write(ctx, answer.join(), keepAlive, head);
      return;
    }
    // the next request of this connection waits for this answer, so that answers keep the order of requests
    ctx.channel().config().setAutoRead(false);
    answer.thenAccept(r -> ctx.executor().execute(() -> {
      write(ctx, r, keepAlive, head);
      ctx.channel().config().setAutoRead(true);
    }));
  }

  /** The route's answer, or the error answer at once when matching, login or the route itself fails. */
  private CompletionStage<Response> answer(ChannelHandlerContext ctx, FullHttpRequest msg) {
    String method = msg.method().name();
    try {
      String target = msg.uri();
      List<String> segments = Paths.segments(target);
      Router.Match match = routes.match(method, segments);
      if (match.route() == null) {
        return done(match.pathExists() ? Response.error(405, "method_not_allowed", method + " is not allowed here")
            : Response.error(404, "Object Not Found", "Not Found"));
      }
      InetAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
      Principal user = null;
      Guard guard = match.route().guard();
      if (guard != Guard.NONE) {
        user = login(msg, peer);
        if (user == null) {
          return done(unauthorised("Login failed"));
        }
        if (guard != Guard.LOGIN && !user.mayUseManagement()) {
          return done(unauthorised("Not management user"));
        }
        if (!guard.allows(user)) {
          return done(unauthorised("Not administrator user"));
        }
      }
      byte[] body = new byte[msg.content().readableBytes()];
      msg.content().getBytes(msg.content().readerIndex(), body);
      Map<String, String> headers = new HashMap<>();
      msg.headers().forEach(e -> headers.putIfAbsent(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
      Request request = new Request(method, segments, match.params(), Paths.query(target), body, user, peer, headers);
      return match.route().handler().answer(request);
    } catch (Exception | StackOverflowError e) {
      return done(failure(method, msg.uri(), e));
    }
  }

  private static CompletionStage<Response> done(Response r) {
    return CompletableFuture.completedFuture(r);
  }

  /** RabbitMQ's error JSON for an AdminException; anything else is logged and answered 500 without its trace. */
  private static Response failure(String method, String uri, Throwable e) {
    if (e instanceof AdminException a) {
      return a.status() == 401 ? unauthorised(a.reason()) : Response.error(a.status(), a.error(), a.reason());
    }
    LOG.warn("HTTP {} {} failed", method, uri, e);
    return Response.error(500, "internal_server_error", "the request failed: " + e.getClass().getSimpleName());
  }

  private Principal login(FullHttpRequest msg, InetAddress peer) {
    String auth = msg.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    return authenticator.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1), peer);
  }

  private static Response unauthorised(String reason) {
    Response r = Response.error(401, "not_authorised", reason);
    return new Response(401, r.contentType(), r.body(),
        Map.of("WWW-Authenticate", "Basic realm=\"Warren Management\""));
  }

  static void write(ChannelHandlerContext ctx, Response r, boolean keepAlive, boolean head) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
    if (r.contentType() != null) {
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
    }
    r.headers().forEach((k, v) -> res.headers().set(k, v));
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
    res.headers().set("X-Content-Type-Options", "nosniff");
    res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    if (keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(res);
    } else {
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
