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
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.warren.management.api.Api;
import io.warren.management.api.BindingRoutes;
import io.warren.management.api.ConnectionRoutes;
import io.warren.management.api.DefinitionRoutes;
import io.warren.management.api.ExchangeRoutes;
import io.warren.management.api.HealthRoutes;
import io.warren.management.api.NodeSettingsRoutes;
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
import io.warren.management.spi.AdminException;
import io.warren.management.spi.ManagedBroker;
import io.warren.management.spi.Principal;
import io.warren.management.stats.Sampler;
import io.warren.management.web.StaticFiles;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management HTTP listener: RabbitMQ's /api, Prometheus /metrics, and the web UI's files at /. It runs on its
 * own single-threaded event loop ("warren-http"), so a slow JSON answer never delays AMQP traffic; the rate sampler
 * runs on that loop too. Others may add routes with {@link #route} and gauges with {@link #gauge}, before or after
 * {@link #start}.
 *
 * <p>The broker behind the API may come and go while the listener stays up (a mirrored pair's node serves its HTTP
 * port as backup too, where no broker runs): {@link #attach} mounts a broker's API, {@link #detach} removes it, and
 * while none is attached every /api path and login answers 503 with {@link #unavailable}'s reason, while the added
 * routes, /metrics (with the added gauges only) and the web UI's files stay served. start(), close(), attach() and
 * detach() from any thread.
 */
public final class ManagementServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
  private final ManagementConfig config;
  private final Clock clock;
  /** Routes added by others, /metrics and the web UI's files: served whether or not a broker is attached. */
  private final Router own = new Router();
  /** Gauges added by others, appended to /metrics and /metrics/per-object. */
  private final PrometheusRegistry added = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final EventLoopGroup group;
  private Channel serverChannel;
  /** The open HTTP connections, closed before the event loop stops so their decoders release their buffers. */
  private final io.netty.channel.group.ChannelGroup open;
  private ScheduledFuture<?> sampling;
  /** The attached broker's API, or null. */
  private volatile Mount mount;
  private volatile Supplier<String> unavailable = () -> "no broker is running on this node";
  private volatile Supplier<Map<String, Object>> nodeFields = Map::of;
  /** Whether a detached broker's login check stays in force (a single node's stopped app), see keepLoginsWhileDetached. */
  private volatile boolean keepLogins;
  /** The last attached broker's login check, kept while detached when keepLogins is on; else null. */
  private volatile ManagedBroker logins;

  /** One attached broker: its routes, its sampler and its Prometheus families. */
  private record Mount(ManagedBroker broker, Router router, Sampler sampler, PrometheusMetrics metrics) {
  }

  public ManagementServer(ManagementConfig config, ManagedBroker broker) {
    this(config, broker, Clock.systemUTC());
  }

  public ManagementServer(ManagementConfig config, ManagedBroker broker, Clock clock) {
    this(config, clock);
    attach(broker);
  }

  /** A listener with no broker attached yet. */
  public ManagementServer(ManagementConfig config) {
    this(config, Clock.systemUTC());
  }

  private ManagementServer(ManagementConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("warren-http", true),
        NioIoHandler.newFactory());
    this.open = new io.netty.channel.group.DefaultChannelGroup("warren-http", group.next());
    Guard metricsGuard = config.metricsAuth() ? Guard.USER : Guard.NONE;
    own.add("GET", "/metrics", metricsGuard, r -> new Response(200, PrometheusMetrics.CONTENT_TYPE, scrape(false),
        java.util.Map.of()));
    own.add("GET", "/metrics/per-object", metricsGuard, r -> new Response(200, PrometheusMetrics.CONTENT_TYPE,
        scrape(true), java.util.Map.of()));
    StaticFiles files = new StaticFiles(ManagementServer.class.getClassLoader(), "www");
    own.add("GET", "/{*}", Guard.NONE, files::serve);
  }

  /**
   * Mounts {@code broker}'s API (replacing any other): its routes, rates and Prometheus families from now on. The
   * routes are built here, on the caller's thread, and published to the event loop by one volatile write.
   */
  public void attach(ManagedBroker broker) {
    Router router = new Router();
    Sampler sampler = new Sampler(broker, config.historySamples(), clock);
    Api api = new Api(broker, new Views(broker.node().name(), sampler), sampler, () -> nodeFields.get());
    new OverviewRoutes(api).register(router);
    new NodeSettingsRoutes(api).register(router);
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
    mount = new Mount(broker, router, sampler, new PrometheusMetrics(broker));
    logins = null;
  }

  /** Removes the broker's API: from now on /api answers 503 (see {@link #unavailable}). */
  public void detach() {
    Mount m = mount;
    if (keepLogins && m != null) {
      logins = m.broker();
    }
    mount = null;
  }

  /**
   * From now on, a detached broker's users still log in to the added routes that need a login (the broker's API
   * answers 503 all the same). For a node whose broker is stopped and started again on the same data directory
   * (stop_app): its users cannot change while it is stopped, so its last check is the right one, and the route that
   * starts it again stays guarded. A mirrored pair's member does not use it: a backup's users are not its own yet.
   */
  public void keepLoginsWhileDetached() {
    keepLogins = true;
  }

  /** Why the API is unavailable while no broker is attached (the 503's reason, read at each request). */
  public void unavailable(Supplier<String> reason) {
    this.unavailable = reason;
  }

  /** Extra fields of this node's object in /api/nodes (read at each request, on the management event loop). */
  public void nodeFields(Supplier<Map<String, Object>> fields) {
    this.nodeFields = fields;
  }

  /**
   * Adds a route on this listener (e.g. a health probe of another subsystem), served whether or not a broker is
   * attached. {@code pattern} segments in braces are placeholders, read with {@code request.param(name)};
   * {@code authenticated} requires a management login (which needs an attached broker). The handler runs on the
   * management event loop and must not block for long.
   */
  public void route(String method, String pattern, boolean authenticated, RouteHandler handler) {
    route(method, pattern, authenticated ? Guard.USER : Guard.NONE, handler);
  }

  /** As {@link #route(String, String, boolean, RouteHandler)}, with the login the route needs. */
  public void route(String method, String pattern, Guard guard, RouteHandler handler) {
    own.add(method, pattern, guard, handler);
  }

  /**
   * Adds a gauge family to /metrics and /metrics/per-object, whether or not a broker is attached. {@code samples} is
   * called at each scrape on the management event loop and reports each sample (value, then label values in the
   * order of {@code labelNames}); reporting none leaves the family empty.
   */
  public void gauge(String name, String help, List<String> labelNames, Consumer<GaugeSink> samples) {
    GaugeWithCallback.Builder b = GaugeWithCallback.builder().name(name).help(help);
    if (!labelNames.isEmpty()) {
      b.labelNames(labelNames.toArray(String[]::new));
    }
    b.callback((Consumer<GaugeWithCallback.Callback>) cb -> samples.accept(cb::call)).register(added);
  }

  /** Where a gauge's callback reports its samples. */
  @FunctionalInterface
  public interface GaugeSink {
    void sample(double value, String... labelValues);
  }

  private byte[] scrape(boolean perObject) throws java.io.IOException {
    Mount m = mount;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 12);
    if (m != null) {
      out.write(m.metrics().scrape(perObject));
    }
    writer.write(out, added.scrape());
    return out.toByteArray();
  }

  /** Added routes first (except the web UI's catch-all), then the attached broker's; 503 for /api without one. */
  private Router.Match match(String method, List<String> segments) {
    Router.Match mine = own.match(method, segments);
    if (mine.route() != null && !mine.route().pattern().contains("{*}")) {
      return mine;
    }
    Mount m = mount;
    if (m != null) {
      Router.Match api = m.router().match(method, segments);
      if (api.route() != null || api.pathExists()) {
        return api;
      }
    } else if (!segments.isEmpty() && segments.get(0).equals("api")) {
      String reason = unavailable.get();
      return new Router.Match(new Router.Route(method, segments, Guard.NONE, r -> {
        throw new AdminException(503, "not_available", reason);
      }), Map.of(), true);
    }
    return mine;
  }

  private Principal authenticate(String user, String password, java.net.InetAddress peer) {
    Mount m = mount;
    ManagedBroker kept = logins;
    if (m == null && kept != null) {
      return kept.authenticate(user, password, peer);
    }
    if (m == null) {
      throw new AdminException(503, "not_available", unavailable.get());
    }
    return m.broker().authenticate(user, password, peer);
  }

  /** Binds the listener and starts sampling; IllegalStateException if the port cannot be bound. */
  public ManagementServer start() {
    int maxBody = config.maxBodyBytes();
    HttpApiHandler.Authenticator auth = this::authenticate;
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
            ch.pipeline().addLast(new HttpApiHandler(ManagementServer.this::match, auth));
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
    Mount m = mount;
    if (m == null) {
      return;
    }
    try {
      m.sampler().tick();
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
