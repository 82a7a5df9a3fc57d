/**
 * The runtime registry: vhosts, users, permissions, topic permissions, policies, vhost and user limits, and the live
 * connections, changed while the broker runs, each change a typed record in the durable log.
 *
 * <p>Entry point: {@code Broker.registry()} returns the {@link io.warren.server.registry.Registry}. Its change methods
 * validate, append the record, apply it and return once the record is durable; they throw {@link
 * io.warren.server.registry.InvalidDefinitionException} (bad input: an HTTP 400, the message says what is wrong) or
 * {@link io.warren.server.registry.NotFoundException} (unknown vhost, user, permission, policy, connection: a 404).
 * Call them from API threads (they may wait for the disk), never from a Netty event loop.
 *
 * <ul>
 *   <li>Vhosts: {@code vhosts()}, {@code findVhost(name)}, {@code putVhost(name, description, tags)} (create or
 *       update), {@code deleteVhost(name)} (closes its connections with 320 "vhost 'v' is deleted", deletes its
 *       queues, exchanges, permissions, policies and limits). The running vhost: {@code vhost(name)} ({@code
 *       BrokerVhost}: declare, delete, bind, unbind, queues; thread-safe).</li>
 *   <li>Users: {@code users()}, {@code findUser(name)}, {@code putUser(name, PasswordHash, tags)} ({@code
 *       PasswordHash.of(password)} or {@code PasswordHash.parse(rabbitmqBase64Hash)}; null: no password login),
 *       {@code deleteUser(name)} (closes its connections with 320 "user 'u' is deleted").</li>
 *   <li>Permissions: {@code permissions()}, {@code findPermission(vhost, user)}, {@code setPermission(user, vhost,
 *       configure, write, read)}, {@code clearPermission(user, vhost)}.</li>
 *   <li>Topic permissions: {@code topicPermissions()}, {@code setTopicPermission(user, vhost, exchange, write,
 *       read)}, {@code clearTopicPermission(user, vhost, exchange-or-null)}.</li>
 *   <li>Policies: {@code policyDefinitions()}, {@code findPolicy(vhost, name)}, {@code setPolicy(vhost, name,
 *       pattern, applyTo, priority, Map definition)} (RabbitMQ's keys; {@code PolicyDefinition.toMap()} gives them
 *       back), {@code clearPolicy(vhost, name)}.</li>
 *   <li>Limits: {@code vhostLimits()}, {@code setVhostLimits(vhost, maxConnections, maxQueues)}, {@code
 *       userLimits()}, {@code setUserLimits(user, maxConnections, maxChannels)}; -1 is "no limit", all -1 clears.</li>
 *   <li>Live connections: {@code connections().list()} ({@link io.warren.server.registry.LiveConnection}: {@code
 *       info()} gives a {@link io.warren.server.registry.ConnectionInfo}), {@code connections().get(name)}, {@code
 *       closeConnection(name, reason)}.</li>
 *   <li>Import: applying a definitions file is a sequence of the calls above (vhosts, users, permissions, topic
 *       permissions, policies, limits, then queues, exchanges and bindings through {@code vhost(name)}).</li>
 * </ul>
 *
 * <p>Records, their codec and replay live in {@code io.warren.server.durable} ({@code RegistryContent} says what
 * each record does; the same code applies a change and replays it, so a node replaying the log gets the same
 * registry). At start, {@link io.warren.server.registry.Recovery} loads the registry from the log, or imports the
 * configuration file's vhosts, users, permissions and policies when the log holds no registry yet.
 */
package io.warren.server.registry;
