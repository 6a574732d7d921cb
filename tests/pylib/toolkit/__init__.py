"""What the suite's Python checks share (ctest puts tests/pylib on PYTHONPATH; by hand:
`PYTHONPATH=tests/pylib python3 tests/...`):
  report      Checks and run_checks: counting checks in a scratch directory, one result line
  ports       free_port: a free loopback port
  tensorboard TensorBoardServer: stock TensorBoard on a free port, stopped by PID
  browser     headless Chromium and the helpers that read TensorBoard's pages
  tbtrain     digits_dir (a tiny MNIST-layout data set) and tbtrain_with_faults
  limits      hard memory and CPU limits for a child process (the hostile checks)
  s3server    S3Server: a real S3 server (SeaweedFS from PyPI) on loopback, stopped by PID
  s3proxy     S3Proxy: a counting, fault-injecting proxy in front of it
"""
