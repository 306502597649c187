# `pullsim explain` as a user runs it: exit 0 with the seven parts, --json as one document, 1 for
# an invalid scenario or an unknown pod or container (naming what exists), 2 for usage errors.
# cmake -DPULLSIM=<binary> -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch> -P explain_cli_test.cmake
cmake_minimum_required(VERSION 3.25)

include(${CMAKE_CURRENT_LIST_DIR}/expect_explain.cmake)

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(fixture ${SOURCE_DIR}/fixtures/multi-tenant/cached-image-verified.yaml)

# The seven parts, in order, for a KEP-2535 denial.
expect_explain(0 stdout
  "pod tenant-b/thief on node node-a.*\n1\\. image\n.*\n2\\. pull policy\n.*\n3\\. cached image\n.*pulled before with secret tenant-a/regcred; this pod offers no secret for it.*\n4\\. credentials for registry-a\\.test/shop/web, in the order tried \\(CRED-08, CRED-11\\)\n.*\n5\\. registry exchanges.*\n6\\. platform\n.*\n7\\. outcome\n.*ErrImagePull"
  ${fixture} --pod tenant-b/thief)
expect_explain(0 stdout "container web\n" ${fixture} --pod=tenant-b/thief --container web)

# --json: one document with the same parts.
expect_explain(0 stdout "^{" ${fixture} --pod tenant-b/thief --json)
string(JSON reason GET "${last_out}" containers 0 outcome reason)
string(JSON may_use GET "${last_out}" containers 0 cache mayUse)
string(JSON policy GET "${last_out}" containers 0 pullPolicy value)
if(NOT reason MATCHES "^(ErrImagePull|ImagePullBackOff)$" OR NOT may_use STREQUAL "OFF" OR
   NOT policy STREQUAL "IfNotPresent")
  message(FATAL_ERROR "explain --json: reason ${reason}, mayUse ${may_use}, policy ${policy}\n${last_out}")
endif()

# Not found: the pods and containers that exist are named.
expect_explain(1 stderr "no node ran pod tenant-b/thiefs; did you mean tenant-b/thief\\? \\(pods: tenant-a/web, tenant-b/thief\\)"
  ${fixture} --pod tenant-b/thiefs)
expect_explain(1 stderr "has no container db \\(containers: web\\)" ${fixture} --pod tenant-b/thief --container db)

# An invalid scenario: its mistakes as file:line:col, exit 1.
file(WRITE ${WORK_DIR}/bad.yaml "name: bad\ndescription: d\nrules: [KUB-02]\nstpes: []\n")
expect_explain(1 stderr "bad\\.yaml:4:1: stpes: unknown key" ${WORK_DIR}/bad.yaml --pod default/p)
expect_explain(1 stderr "no such|cannot read|not found" ${WORK_DIR}/missing.yaml --pod default/p)

# Usage errors.
expect_explain(2 stderr "--pod NAMESPACE/NAME is required" ${fixture})
expect_explain(2 stderr "give a scenario file" --pod default/p)
expect_explain(2 stderr "unknown option \"--pods\"" ${fixture} --pods x)
expect_explain(2 stderr "--pod wants NAMESPACE/NAME" ${fixture} --pod a/b/c)
expect_explain(0 stdout "usage: pullsim explain.*--json" --help)
