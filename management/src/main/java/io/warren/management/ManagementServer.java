package io.warren.management;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.warren.management.api.Api;
import io.warren.management.api.BindingRoutes;
import io.warren.management.api.ConnectionRoutes;
import io.warren.management.api.DefinitionRoutes;
import io.warren.management.api.ExchangeRoutes;
import io.warren.management.api.HealthRoutes;
import io.warren.management.api.OverviewRoutes;
import io.warren.management.api.PermissionRoutes;
import io.warren.management.api.PolicyRoutes;
import io.warren.management.api.QueueRoutes;
import io.warren.management.api.VhostUserRoutes;
import io.warren.management.api.Views;
import io.warren.management.http.BodyLimit;
import io.warren.management.http.Guard;
import io.warren.management.http.HttpApiHandler;
import io.warren.management.http.Response;
import io.warren.management.http.RouteHandler;
import io.warren.management.http.Router;
import io.warren.management.metrics.PrometheusMetrics;
import io.warren.management.spi.ManagedBroker;
import io.warren.management.stats.Sampler;
import io.warren.management.web.StaticFiles;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management HTTP listener: RabbitMQ's /api, Prometheus /metrics, and the web UI's files at /. It runs on its
 * own single-threaded event loop ("warren-http"), so a slow JSON answer never delays AMQP traffic; the rate sampler
 * runs on that loop too. Others may add routes with {@link #route} before or after {@link #start}. start() and
 * close() from any thread.
 */
public final class ManagementServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
  private final ManagementConfig config;
  private final ManagedBroker broker;
  private final Router router = new Router();
  private final Sampler sampler;
  private final EventLoopGroup group;
  private Channel serverChannel;
  /** The open HTTP connections, closed before the event loop stops so their decoders release their buffers. */
  private final io.netty.channel.group.ChannelGroup open;
  private ScheduledFuture<?> sampling;

  public ManagementServer(ManagementConfig config, ManagedBroker broker) {
    this(config, broker, Clock.systemUTC());
  }

  public ManagementServer(ManagementConfig config, ManagedBroker broker, Clock clock) {
    this.config = config;
    this.broker = broker;
    this.sampler = new Sampler(broker, config.historySamples(), clock);
    this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("warren-http", true),
        NioIoHandler.newFactory());
    this.open = new io.netty.channel.group.DefaultChannelGroup("warren-http", group.next());
    Api api = new Api(broker, new Views(broker.node().name(), sampler), sampler);
    new OverviewRoutes(api).register(router);
    VhostUserRoutes vhostsUsers = new VhostUserRoutes(api);
    vhostsUsers.register(router);
    new PermissionRoutes(api, vhostsUsers).register(router);
    new PolicyRoutes(api, vhostsUsers).register(router);
    new QueueRoutes(api).register(router);
    new ExchangeRoutes(api).register(router);
    new BindingRoutes(api).register(router);
    new ConnectionRoutes(api).register(router);
    new DefinitionRoutes(api).register(router);
    new HealthRoutes(api).register(router);
    PrometheusMetrics metrics = new PrometheusMetrics(broker);
    Guard metricsGuard = config.metricsAuth() ? Guard.USER : Guard.NONE;
    router.add("GET", "/metrics", metricsGuard, r -> new Response(200, PrometheusMetrics.CONTENT_TYPE,
        metrics.scrape(false), java.util.Map.of()));
    router.add("GET", "/metrics/per-object", metricsGuard, r -> new Response(200, PrometheusMetrics.CONTENT_TYPE,
        metrics.scrape(true), java.util.Map.of()));
    StaticFiles files = new StaticFiles(ManagementServer.class.getClassLoader(), "www");
    router.add("GET", "/{*}", Guard.NONE, files::serve);
  }

  /**
   * Adds a route on this listener (e.g. a health probe of another subsystem). {@code pattern} segments in braces
   * are placeholders, read with {@code request.param(name)}; {@code authenticated} requires a management login.
   * The handler runs on the management event loop and must not block for long.
   */
  public void route(String method, String pattern, boolean authenticated, RouteHandler handler) {
    router.add(method, pattern, authenticated ? Guard.USER : Guard.NONE, handler);
  }

  /** Binds the listener and starts sampling; IllegalStateException if the port cannot be bound. */
  public ManagementServer start() {
    int maxBody = config.maxBodyBytes();
    HttpApiHandler.Authenticator auth = broker::authenticate;
    ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            open.add(ch);
            ch.pipeline().addLast(new IdleStateHandler(0, 0, 120, TimeUnit.SECONDS) {
              @Override
              protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
                  io.netty.handler.timeout.IdleStateEvent evt) {
                ctx.close(); // an idle HTTP connection is not kept forever
              }
            });
            ch.pipeline().addLast(new HttpServerCodec(8192, 16384, 8192));
            ch.pipeline().addLast(new BodyLimit(maxBody));
            ch.pipeline().addLast(new HttpApiHandler(router, auth));
          }
        });
    try {
      serverChannel = b.bind(new InetSocketAddress(config.bindAddress(), config.port())).syncUninterruptibly()
          .channel();
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot listen for HTTP on " + config.bindAddress() + ":" + config.port()
          + ": " + e, e);
    }
    sampling = group.next().scheduleAtFixedRate(this::sample, 0, config.sampleIntervalMillis(),
        TimeUnit.MILLISECONDS);
    LOG.info("Management HTTP API, Prometheus metrics and web UI on {}:{}", config.bindAddress(), port());
    return this;
  }

  private void sample() {
    try {
      sampler.tick();
    } catch (RuntimeException e) {
      LOG.warn("Sampling statistics failed: {}", e.toString());
    }
  }

  /** Runs one sampler tick now on the management loop (tests, and anyone who wants fresh rates). */
  public void sampleNow() {
    group.next().submit(this::sample).syncUninterruptibly();
  }

  public int port() {
    return serverChannel == null ? -1 : ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  @Override
  public void close() {
    if (sampling != null) {
      sampling.cancel(false);
    }
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    open.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
