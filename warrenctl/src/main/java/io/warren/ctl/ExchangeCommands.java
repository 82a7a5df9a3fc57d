package io.warren.ctl;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Verbs on exchanges and bindings: list_exchanges, list_bindings. Runs on the invoking thread. */
public final class ExchangeCommands {
  static final ColumnSet EXCHANGES = ColumnSet.of("arguments auto_delete durable internal name policy type vhost",
      "name type");
  static final ColumnSet BINDINGS = ColumnSet.of("arguments routing_key vhost properties_key",
          "source_name source_kind destination_name destination_kind routing_key arguments")
      .alias("source_name", "source")
      .constant("source_kind", "exchange")
      .alias("destination_name", "destination")
      .alias("destination_kind", "destination_type");

  private final Session session;

  public ExchangeCommands(Session session) {
    this.session = session;
  }

  @Command(name = "list_exchanges", mixinStandardHelpOptions = true, description = "Lists the exchanges of a vhost (default columns: name type).")
  public int listExchanges(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders,
      @Parameters(paramLabel = "<column>", arity = "0..*", description = "columns to show") List<String> columns) {
    String vhost = session.vhost();
    return session.list("Listing exchanges for vhost " + vhost + " ...", EXCHANGES.select(columns),
        ApiPath.of("exchanges", vhost), Missing.vhost(vhost), !noHeaders);
  }

  @Command(name = "list_bindings", mixinStandardHelpOptions = true, description = "Lists the bindings of a vhost (default columns: source_name "
      + "source_kind destination_name destination_kind routing_key arguments).")
  public int listBindings(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders,
      @Parameters(paramLabel = "<column>", arity = "0..*", description = "columns to show") List<String> columns) {
    String vhost = session.vhost();
    return session.list("Listing bindings for vhost " + vhost + " ...", BINDINGS.select(columns),
        ApiPath.of("bindings", vhost), Missing.vhost(vhost), !noHeaders);
  }
}
