package com.benchsci.hostharness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Headless Chromium (Debian's, one of the host tools {@link DebianRootFs} installs) loading a page the way a user's
 * browser does, with no flag that relaxes its certificate checks: what it rendered is the DOM on stdout and a
 * screenshot. Each instance has a fresh profile and a fresh NSS database ({@code $HOME/.pki/nssdb}, where Chromium on
 * Linux reads the trust anchors a user added; certutil from libnss3-tools writes it) holding exactly the roots it was
 * made with: a test CA's root, or none.
 */
public final class Chromium {

  private static final Duration LIMIT = Duration.ofMinutes(2);
  private final Path home;

  private Chromium(Path home) {
    this.home = home;
  }

  /** A browser in {@code dir} (made anew) whose own trust store holds {@code roots} (PEM files) and nothing else. */
  public static Chromium trusting(Path dir, Path... roots) {
    DebianRootFs.deleteTree(dir);
    Path nssdb = dir.resolve(".pki/nssdb");
    try {
      Files.createDirectories(nssdb);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + nssdb, e);
    }
    certutil("-N", "--empty-password", "-d", "sql:" + nssdb);
    for (int i = 0; i < roots.length; i++) {
      // C: a trusted CA for TLS servers, nothing else.
      certutil("-A", "-d", "sql:" + nssdb, "-n", "test-root-" + i, "-t", "C,,", "-i", roots[i].toString());
    }
    return new Chromium(dir);
  }

  /**
   * Loads {@code url} from this machine, as a browser elsewhere on the network does; the result's stdout is the
   * rendered DOM (stderr says why a page did not load), and {@code screenshot} shows the page.
   */
  public Cmd.Result render(String url, Path screenshot) {
    return Cmd.run(LIMIT, command(url, screenshot));
  }

  /** Loads {@code url} inside {@code host}'s network namespace, as a browser on the host itself does. */
  public Cmd.Result renderInside(NspawnContainer host, String url, Path screenshot) {
    return Cmd.run(LIMIT, host.inNetwork(command(url, screenshot).toArray(String[]::new)));
  }

  private List<String> command(String url, Path screenshot) {
    return List.of("env", "HOME=" + home, "chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--user-data-dir=" + home.resolve("profile"), "--window-size=800,600", "--screenshot=" + screenshot,
        "--dump-dom", url);
  }

  private static void certutil(String... args) {
    List<String> command = new ArrayList<>(List.of("certutil"));
    command.addAll(List.of(args));
    Cmd.Result result = Cmd.run(Duration.ofSeconds(30), command);
    if (!result.ok()) {
      throw new IllegalStateException("certutil could not set up Chromium's trust store: " + result.describe());
    }
  }
}
