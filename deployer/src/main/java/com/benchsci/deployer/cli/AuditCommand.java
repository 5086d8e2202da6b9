package com.benchsci.deployer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer audit}: the host's live security groups against the firewall rules of guard-rules/. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Checks every security group attached to the host, read over the EC2 API, with the cfn-guard"
        + " firewall rules. Exit 0 pass, 6 violations found, 1 error.")
final class AuditCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  TargetOptions target;

  @Option(names = "--rules", defaultValue = "guard-rules", description = "Folder of the cfn-guard policy rules.")
  Path rules;

  @Option(names = "--report", defaultValue = "cloudformation/target/audit.md", description = "The Markdown report.")
  Path report;

  @Option(names = "--document", defaultValue = "cloudformation/target/audit-firewall.yaml",
      description = "Where the firewall read from EC2, as the template the rules judge, is written.")
  Path document;

  @Override
  public Integer call() {
    return Cli.run(spec, deployer -> ExitCode.of(deployer.audit(target.destination(), rules, document, report)));
  }
}
