package com.benchsci.hostharness.standin;

import java.nio.file.Path;

/**
 * The absolute paths the helper scripts use (/etc/cfn, /var/lib/cfn-hup, /var/run/cfn-hup.pid, /var/log/...), under a
 * root: "/" on the host, a scratch folder when the harness's own tests run a stand-in on the build machine (system
 * property {@code standin.root}), so those tests never touch the machine's own /etc or /var.
 */
final class HostPaths {

  private HostPaths() {}

  static Path of(String absolute) {
    return Path.of(System.getProperty("standin.root", "/")).resolve(absolute.replaceFirst("^/+", ""));
  }
}
