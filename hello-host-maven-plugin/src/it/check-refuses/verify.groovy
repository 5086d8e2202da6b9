// The violation is listed with the rule's own message, and the build fails with the goal's one line, which names
// the template and says nothing reached AWS.
String log = new File(basedir, 'build.log').text
String stack = new File(basedir, 'stack.yaml').path
assert log.contains("${stack} resource WebSecurityGroup violates SG_INGRESS_POLICY")
assert log.contains('[FIX]')
def failure = log.readLines().find { it.startsWith('[ERROR] Failed to execute goal ') }
assert failure != null
assert failure ==~ /\[ERROR\] Failed to execute goal com\.benchsci:hello-host-maven-plugin:[^:]+:check \(check\) on project check-refuses: \Q${stack}\E fails \d+ check\(s\) \(cfn-lint \/ cfn-guard, listed above\): nothing was sent to AWS( -> \[Help 1\])?/
assert !new File(basedir, 'target/hello-host-check.sha256').exists()
