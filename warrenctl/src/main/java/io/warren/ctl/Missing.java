package io.warren.ctl;

/**
 * Says what a 404 from the management API means for one call: RabbitMQ answers only "Object Not Found", so
 * the explanation asks the API which of the named objects is the one that is missing. Any thread.
 */
@FunctionalInterface
public interface Missing {
  CtlException explain(ApiClient api);

  /** A plain message with EX_UNAVAILABLE, as rabbitmqctl reports missing objects. */
  static Missing of(String message) {
    return api -> new CtlException(ExitCodes.UNAVAILABLE, message);
  }

  /** The vhost if it is the one missing, else {@code what} ("queue 'q'") in that vhost. */
  static Missing inVhost(String vhost, String what) {
    return api -> vhostGone(api, vhost) ? vhostMissing(vhost) : new CtlException(ExitCodes.UNAVAILABLE,
        what + " does not exist in vhost '" + vhost + "'");
  }

  /** The vhost itself. */
  static Missing vhost(String vhost) {
    return api -> vhostMissing(vhost);
  }

  /** The user itself (EX_NOUSER, as rabbitmqctl). */
  static Missing user(String user) {
    return api -> userMissing(user);
  }

  /** The vhost or the user, whichever is missing: permissions name both. */
  static Missing vhostOrUser(String vhost, String user) {
    return api -> {
      if (vhostGone(api, vhost)) {
        return vhostMissing(vhost);
      }
      if (api.getIfExists(ApiPath.of("users", user)) == null) {
        return userMissing(user);
      }
      return new CtlException(ExitCodes.UNAVAILABLE, "user '" + user + "' has no such entry in vhost '" + vhost + "'");
    };
  }

  private static boolean vhostGone(ApiClient api, String vhost) {
    return api.getIfExists(ApiPath.of("vhosts", vhost)) == null;
  }

  private static CtlException vhostMissing(String vhost) {
    return new CtlException(ExitCodes.UNAVAILABLE, "vhost '" + vhost + "' does not exist");
  }

  private static CtlException userMissing(String user) {
    return new CtlException(ExitCodes.NO_USER, "user '" + user + "' does not exist");
  }
}
