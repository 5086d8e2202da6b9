// hello-host.skip: both goals say they skip, and do nothing else.
String log = new File(basedir, 'build.log').text
assert log.contains('[INFO] Skipping hello-host:check (hello-host.skip)')
assert log.contains('[INFO] Skipping hello-host:deploy (hello-host.skip)')
assert log.contains('BUILD SUCCESS')
assert !new File(basedir, 'target').exists()
