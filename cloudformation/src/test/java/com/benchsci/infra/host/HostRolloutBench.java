package com.benchsci.infra.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.hostharness.BootedHost;
import com.benchsci.hostharness.Cmd;
import com.benchsci.hostharness.NspawnContainer;
import com.benchsci.hostharness.WrkLoad;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The figures bench/host-rollout.sh prints, measured on the host the host boot test boots: failed requests while new
 * jars roll out through the cfn-init path under wrk load (keep-alive and {@code Connection: close}), the start of a
 * slot to its first 200 with the AOT cache (and without it), and the way back after {@code kill -9}.
 *
 * <p>Not a test and not part of {@code ./mvnw verify} (its name matches none of Surefire's test patterns): it runs only
 * when named, {@code -Dtest=HostRolloutBench}, and prints figures instead of asserting timings.
 */
@Tag("host")
class HostRolloutBench {

  private static final int ROLLOUTS = Integer.getInteger("bench.rollouts", 5);
  private static final int KEEP_ALIVE_CONNECTIONS = Integer.getInteger("bench.keepAliveConnections", 100);
  private static final int CLOSE_CONNECTIONS = Integer.getInteger("bench.closeConnections", 20);
  private static final int STARTS = 5;
  /** The whole host's memory, as an instance's RAM: 512 MiB is a t4g.nano. 0: no limit. */
  private static final long MEMORY_MIB = Long.getLong("bench.memoryMiB", 512);
  private static final int FLOOD_CONNECTIONS = Integer.getInteger("bench.floodConnections", 8000);
  private static final int FLOOD_SECONDS = 20;
  private static final int IDLE_CONNECTIONS = Integer.getInteger("bench.idleConnections", 18000);
  private static final Duration MEASURE_TIMEOUT = Duration.ofMinutes(2);

  private final Path repo = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

  @Test
  void measure() {
    try (BootedHost booted = BootedHost.boot(repo, "HostRolloutBench", MEMORY_MIB << 20)) {
      NspawnContainer host = booted.host();
      WrkLoad.Counts keepAlive;
      WrkLoad.Counts close;
      try (WrkLoad keepAliveLoad = WrkLoad.flatOut(host, "http://127.0.0.1/", KEEP_ALIVE_CONNECTIONS);
          WrkLoad closeLoad = WrkLoad.flatOut(host, "http://127.0.0.1/", CLOSE_CONNECTIONS, "Connection: close")) {
        for (int i = 1; i <= ROLLOUTS; i++) {
          long started = System.nanoTime();
          booted.cfnInit(BootedHost.variantOf(booted.jar(), "bench-" + i)).applyTo(host);
          System.out.printf("[bench] rollout %d of %d: cfn-init took %.1f s, slot %s serves%n", i, ROLLOUTS,
              BootedHost.seconds(started), servingSlot(host));
        }
        keepAlive = keepAliveLoad.stop();
        close = closeLoad.stop();
      }
      System.out.printf("[bench] keep-alive (%d connections): failed %d of %d%n", KEEP_ALIVE_CONNECTIONS,
          keepAlive.failed(), keepAlive.requests());
      System.out.printf("[bench] Connection: close (%d connections): failed %d of %d%n", CLOSE_CONNECTIONS,
          close.failed(), close.requests());

      String slot = servingSlot(host);
      String unit = "hello@" + slot + ".service";
      List<long[]> starts = new ArrayList<>();
      for (int i = 0; i < STARTS; i++) {
        starts.add(millis(host, startToFirst200(unit)));
      }
      List<long[]> kills = new ArrayList<>();
      for (int i = 0; i < STARTS; i++) {
        kills.add(millis(host, killToFirst200(unit)));
      }
      List<long[]> jvmStarts = new ArrayList<>();
      for (int i = 0; i < STARTS; i++) {
        jvmStarts.add(millis(host, jvmToFirst200(slot)));
      }
      long systemdPart = systemdStartToExec(host);
      String cache = "/var/lib/hello/" + slot + "/app.aot";
      assertThat(host.exec(MEASURE_TIMEOUT, "rm", "-f", cache).ok()).isTrue();
      List<long[]> coldStarts = new ArrayList<>();
      for (int i = 0; i < STARTS; i++) {
        coldStarts.add(millis(host, startToFirst200(unit)));
      }
      System.out.printf("[bench] start to first 200, each run (http/https ms): %s; without the AOT cache: %s%n",
          describe(starts), describe(coldStarts));
      System.out.printf("[bench] kill -9 to first 200, each run (ms): %s%n", describe(kills));
      System.out.printf("[bench] the JVM alone, without systemd (the unit's command line on spare ports), each run"
          + " (http/https ms): %s%n", describe(jvmStarts));
      System.out.printf("[bench] the JVM alone: first 200 after %d ms (median of %d), https %d ms%n",
          median(jvmStarts, 0), STARTS, median(jvmStarts, 1));
      System.out.printf("[bench] start without the AOT cache: first 200 after %d ms (median of %d)%n",
          median(coldStarts, 0), STARTS);
      flood(host);
      idleFlood(host);
      if (MEMORY_MIB > 0) {
        System.out.printf("memory: the host's peak %d MiB of its %d MiB limit (rollouts, flood, starts)%n",
            host.memoryPeakBytes() >> 20, MEMORY_MIB);
      }
      System.out.printf("rollout: failed %d of %d requests over %d rollouts%n", keepAlive.failed() + close.failed(),
          keepAlive.requests() + close.requests(), ROLLOUTS);
      System.out.printf("start: first 200 after %d ms (the JVM, median of %d), https %d ms; through systemctl start"
          + " %d ms, https %d ms (systemd's part %d ms); kill -9: back after %d ms%n", median(jvmStarts, 0), STARTS,
          median(jvmStarts, 1), median(starts, 0), median(starts, 1), systemdPart, median(kills, 0));
    }
  }

  /**
   * wrk with FLOOD_CONNECTIONS connections for FLOOD_SECONDS while, inside the host, one ordinary client asks for the
   * page once a second: are ordinary requests still answered, and how slowly.
   */
  private static void flood(NspawnContainer host) {
    Cmd.Result normal;
    WrkLoad.Counts flood;
    try (WrkLoad load = WrkLoad.flatOut(host, "http://127.0.0.1/", FLOOD_CONNECTIONS)) {
      normal = host.exec(MEASURE_TIMEOUT, "/bin/sh", "-c", "end=$(( $(date +%s) + " + FLOOD_SECONDS + " ));"
          + " while [ $(date +%s) -lt $end ]; do curl -s -o /dev/null -w '%{http_code} %{time_total}\\n' --max-time 5"
          + " http://127.0.0.1/; sleep 1; done");
      flood = load.stop();
    }
    List<String> answers = normal.out().lines().toList();
    long ok = answers.stream().filter(line -> line.startsWith("200 ")).count();
    double slowest = answers.stream().mapToDouble(line -> Double.parseDouble(line.split(" ")[1])).max().orElse(0);
    System.out.printf("[bench] flood wrk -c%d: %d requests, %d failed%n", FLOOD_CONNECTIONS, flood.requests(),
        flood.failed());
    System.out.printf("flood: wrk -c%d for %d s: ordinary requests answered %d of %d meanwhile (slowest %.0f ms)%n",
        FLOOD_CONNECTIONS, FLOOD_SECONDS, ok, answers.size(), slowest * 1000);
  }

  /**
   * IDLE_CONNECTIONS connections that send nothing, opened by one bash in the host's network namespace (outside its
   * memory limit, as a remote client would be), held for FLOOD_SECONDS while an ordinary request is made; then how
   * many the host still held and whether the slot is the same process (no restart).
   */
  private static void idleFlood(NspawnContainer host) {
    String unit = "hello@" + servingSlot(host) + ".service";
    String pid = host.exec(MEASURE_TIMEOUT, "systemctl", "show", "-p", "MainPID", "--value", unit).out().strip();
    Cmd.Result run = Cmd.run(MEASURE_TIMEOUT, host.inNetwork("bash", "-c", "ulimit -n " + (IDLE_CONNECTIONS + 100)
        + "; n=0; for i in $(seq " + IDLE_CONNECTIONS + "); do exec {fd}<>/dev/tcp/127.0.0.1/80 || break; n=$((n+1));"
        + " done 2>/dev/null; echo opened $n; sleep " + FLOOD_SECONDS / 2 + ";"
        + " curl -s -o /dev/null -w 'normal %{http_code} %{time_total}\n' --max-time 5 http://127.0.0.1/;"
        + " echo held $(ss -Htn state established '( dport = :80 )' | wc -l); sleep " + FLOOD_SECONDS / 2));
    String after = host.exec(MEASURE_TIMEOUT, "systemctl", "show", "-p", "MainPID", "--value", unit).out().strip();
    System.out.printf("idle: %d connections for %d s: %s; same JVM after: %s%n", IDLE_CONNECTIONS, FLOOD_SECONDS,
        run.out().strip().replace("\n", ", "), pid.equals(after) ? "yes" : "no (" + pid + " -> " + after + ")");
  }

  /** Stops the slot, then times its start until http and then https answer 200, from one shell inside the host. */
  private static String startToFirst200(String unit) {
    return PROBES + "systemctl stop " + unit + " && systemctl reset-failed " + unit + "; t0=$(date +%s%N);"
        + " systemctl start --no-block " + unit + " && " + untilBoth(80, 443);
  }

  /**
   * The unit's own command line (its JVM flags and the slot's AOT cache, as the hello user) run by hand on spare
   * ports, without systemd: the JVM's start to its first 200, apart from systemd's sandbox set-up.
   */
  private static String jvmToFirst200(String slot) {
    return PROBES + "set -a; . /etc/hello/hello.env; set +a; t0=$(date +%s%N);"
        + " HTTP_PORT=18080 HTTPS_PORT=18443 setpriv --reuid=hello --regid=hello --init-groups -- /usr/bin/java"
        + " $JVM_FLAGS -XX:AOTCache=/var/lib/hello/" + slot + "/app.aot -jar /opt/hello/" + slot + "/vertx-app.jar"
        + " >/dev/null 2>&1 & pid=$!; " + untilBoth(18080, 18443) + "; kill $pid; wait $pid || true";
  }

  /**
   * What systemd itself adds to a start: {@code systemctl start} of a unit with hello@'s sandbox and user, whose
   * program only prints the time it was started, to that time (median of STARTS).
   */
  private static long systemdStartToExec(NspawnContainer host) {
    String probe = "sed -e 's/^Type=notify/Type=oneshot/' -e 's|^ExecStart=.*|ExecStart=/usr/bin/date +%%s%%N|'"
        + " -e '/^Restart/d' /etc/systemd/system/hello@.service > /run/systemd/system/hello-exec-probe@.service"
        + " && systemctl daemon-reload && for i in $(seq " + STARTS + "); do t0=$(date +%s%N);"
        + " systemctl start hello-exec-probe@$i.service; t1=$(journalctl -o cat -u hello-exec-probe@$i.service"
        + " | grep -E '^[0-9]+$'); echo $(( (t1 - t0) / 1000000 )); done";
    Cmd.Result run = host.exec(MEASURE_TIMEOUT, "/bin/bash", "-c", probe);
    assertThat(run.ok()).as(run.describe()).isTrue();
    List<long[]> runs = run.out().lines().map(line -> new long[] {Long.parseLong(line.strip())}).toList();
    System.out.printf("[bench] systemd: systemctl start to the exec of a unit with hello@'s sandbox, each run (ms): %s%n",
        describe(runs));
    return median(runs, 0);
  }

  /** SIGKILL to the slot's JVM, then times systemd's restart until http and then https answer 200. */
  private static String killToFirst200(String unit) {
    // reset-failed clears systemd's start-rate counter, which these back-to-back restarts would otherwise hit.
    return PROBES + "systemctl reset-failed " + unit + "; pid=$(systemctl show -p MainPID --value " + unit + ");"
        + " t0=$(date +%s%N); kill -9 $pid && while kill -0 $pid 2>/dev/null; do pause; done && " + untilBoth(80, 443);
  }

  /**
   * The probes, light enough not to slow what they time: the host has two cores, and a curl started back to back
   * would keep one of them busy, taking it from the JVM being timed (about 100 ms more to the first 200). So http is
   * asked by bash itself over /dev/tcp, and every probe waits 5 ms between tries with a bash builtin (no process).
   */
  private static final String PROBES = "exec 9<> <(:); pause() { read -t 0.005 -u 9 || :; };"
      + " get() { exec 8<>/dev/tcp/127.0.0.1/$1 || return 1; printf 'GET / HTTP/1.1\\r\\nHost: bench\\r\\n"
      + "Connection: close\\r\\n\\r\\n' >&8; read -r status <&8; exec 8<&-; [[ $status == *' 200 '* ]]; }; ";

  private static String untilBoth(int http, int https) {
    return "until get " + http + " 2>/dev/null; do pause; done; t1=$(date +%s%N);"
        + " until curl -sfk -o /dev/null --max-time 1 https://127.0.0.1:" + https + "/; do pause; done;"
        + " t2=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )) $(( (t2 - t0) / 1000000 ))";
  }

  private static long[] millis(NspawnContainer host, String script) {
    Cmd.Result run = host.exec(MEASURE_TIMEOUT, "timeout", "60", "/bin/bash", "-c", script);
    assertThat(run.ok()).as(run.describe()).isTrue();
    return Arrays.stream(run.out().strip().split(" ")).mapToLong(Long::parseLong).toArray();
  }

  private static String servingSlot(NspawnContainer host) {
    return host.exec(MEASURE_TIMEOUT, "systemctl", "is-enabled", "hello@a.service").out().strip().equals("enabled")
        ? "a" : "b";
  }

  private static long median(List<long[]> runs, int column) {
    return runs.stream().mapToLong(run -> run[column]).sorted().skip(runs.size() / 2).findFirst().orElseThrow();
  }

  private static String describe(List<long[]> runs) {
    return String.join(", ", runs.stream().map(run -> Arrays.stream(run).mapToObj(Long::toString)
        .reduce((a, b) -> a + "/" + b).orElse("")).toList());
  }
}
