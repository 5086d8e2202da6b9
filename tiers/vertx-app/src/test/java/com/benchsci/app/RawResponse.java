package com.benchsci.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One HTTP/1.1 response read off a raw socket: status, headers (names in lower case) and the body Content-Length gave. */
record RawResponse(int status, Map<String, String> headers, byte[] body) {

  /**
   * Reads one response; null when the connection ended (closed or reset) before its first byte.
   *
   * @throws IOException when the connection ended inside a response: a response cut short
   */
  static RawResponse read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
    } catch (IOException reset) {
      if (head.size() > 0) {
        throw reset;
      }
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    if (text.isEmpty()) {
      return null;
    }
    if (!text.endsWith("\r\n\r\n")) {
      throw new IOException("the connection ended inside a response head: " + text);
    }
    String[] lines = text.split("\r\n");
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new IOException("the connection ended inside a response body: " + body.length + " of " + length + " bytes");
    }
    return new RawResponse(Integer.parseInt(lines[0].substring(9, 12)), headers, body);
  }

  /** Whether the server said it closes the connection after this response. */
  boolean closes() {
    return "close".equalsIgnoreCase(headers.get("connection"));
  }
}
