package com.benchsci.hostharness.standin;

import com.benchsci.hostharness.NspawnContainer;
import com.benchsci.hostharness.NspawnContainer.FileSource;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The helper scripts a host booted by the harness has at AWS's paths, /opt/aws/bin/cfn-init, cfn-hup and cfn-signal:
 * stand-ins, since aws-cfn-bootstrap comes only from Amazon. cfn-init and cfn-hup are this module's
 * {@link CfnInitStandIn} and {@link CfnHupStandIn}, run by the host's own Java from a copy of their classes in
 * /opt/aws/standin; cfn-signal only records its arguments in /var/lib/cfn-signal-standin/signals (CloudFormation's
 * SignalResource, which it calls on AWS, changes nothing in the emulator). /opt/aws/standin/endpoints.properties tells
 * them where the APIs are ({@link Endpoints}).
 */
public final class StandIns {

  public static final String SIGNALS = "/var/lib/cfn-signal-standin/signals";
  private static final String HOME = "/opt/aws/standin";
  private static final String JVM_FLAGS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx64m -Xss512k";

  private StandIns() {}

  /**
   * {@code spec} with the stand-ins placed in the container, asking CloudFormation (DescribeStackResource) of
   * {@code region} at {@code cloudFormation} and S3 at {@code s3}.
   */
  public static NspawnContainer.Spec install(NspawnContainer.Spec spec, String region, URI cloudFormation, URI s3) {
    NspawnContainer.Spec with = spec;
    // The harness's classes and Jackson's three jars: all the stand-ins load.
    for (Class<?> type : List.of(CfnHupStandIn.class, ObjectMapper.class, JsonParser.class, JsonAutoDetect.class)) {
      Path source = codeSource(type);
      with = with.file(Files.isDirectory(source) ? HOME + "/classes" : HOME + "/lib/" + source.getFileName(),
          FileSource.copyOf(source));
    }
    with = with.file(HOME + "/README", FileSource.text("Stand-ins for aws-cfn-bootstrap's helper scripts, placed by the"
        + " host harness (host-harness/, docs/host-test.md): not AWS's programs.\n", "rw-r--r--"));
    with = with.file(HOME + "/endpoints.properties", FileSource.text("# Where the stand-ins reach the APIs (the host"
        + " harness's CloudFormation stand-in, the emulator's S3).\ncloudformation." + region + "=" + cloudFormation
        + "\ns3=" + s3 + "\n", "rw-r--r--"));
    with = with.file("/opt/aws/bin/cfn-init", java("cfn-init", CfnInitStandIn.class));
    with = with.file("/opt/aws/bin/cfn-hup", java("cfn-hup", CfnHupStandIn.class));
    return with.file("/opt/aws/bin/cfn-signal", FileSource.text("#!/bin/sh\n# STAND-IN for aws-cfn-bootstrap's"
        + " cfn-signal (host harness): records its arguments instead of calling SignalResource.\nset -e\nmkdir -p "
        + Path.of(SIGNALS).getParent() + "\nprintf '%s\\n' \"$*\" >> " + SIGNALS + "\n", "rwxr-xr-x"));
  }

  private static FileSource java(String name, Class<?> main) {
    return FileSource.text("#!/bin/sh\n# STAND-IN for aws-cfn-bootstrap's " + name + " (host harness, docs/host-test.md):"
        + " not AWS's program.\nexec /usr/bin/java " + JVM_FLAGS + " -cp '" + HOME + "/lib/*:" + HOME + "/classes' "
        + main.getName() + " \"$@\"\n", "rwxr-xr-x");
  }

  /** The jar or class folder {@code type} was loaded from. */
  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + type, e);
    }
  }
}
