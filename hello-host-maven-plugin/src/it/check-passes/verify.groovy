// The goal ran both tools on both templates, passed, and recorded the pass for the next build.
String log = new File(basedir, 'build.log').text
['bootstrap.yaml', 'stack.yaml'].each { name ->
  String line = "[INFO] Checked ${new File(basedir, name)}: cfn-lint and cfn-guard pass."
  assert log.contains(line): "missing: ${line}"
}
assert new File(basedir, 'target/hello-host-check.sha256').isFile()
assert log.contains('BUILD SUCCESS')
