package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Parses JSON given on the command line (policy definitions, limits), with rabbitmqctl's exit code on error. */
final class Json {
  private Json() {
  }

  /** The argument as a JSON object, or a CtlException naming {@code what}. */
  static JsonNode object(String text, String what) {
    JsonNode node;
    try {
      node = ApiClient.json().readTree(text);
    } catch (IOException e) {
      throw new CtlException(ExitCodes.DATA_ERROR, what + " is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw new CtlException(ExitCodes.DATA_ERROR, what + " must be a JSON object, e.g. {\"max-length\": 1000}");
    }
    return node;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
