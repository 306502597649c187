# `pullsim explain --node NODE.yaml -f FILE... --registry ...` as a user runs it (fixtures/explain/
# data): the explanation of the only pod, the platform failure of another with --pod, warnings
# for ignored kinds, standard input, and exit 1 with file:line:col for bad inputs, 2 for usage.
# cmake -DPULLSIM=<binary> -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch> -P explain_manifests_cli_test.cmake
cmake_minimum_required(VERSION 3.25)

include(${CMAKE_CURRENT_LIST_DIR}/expect_explain.cmake)

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(data ${SOURCE_DIR}/fixtures/explain/data)
set(explain_working_dir ${data})

# The only pod -f gives, pulled with its secret on the arm64 node; the ConfigMap is warned about.
expect_explain(0 stdout
  "pod tenant-a/web on node worker-arm-1.*secret tenant-a/regcred  key registry\\.test  user alice  -> accepted.*linux/arm64 .*<- chosen.*state        Running"
  --node node.yaml -f pod.yaml -f secrets.yaml --registry registry.yaml)
expect_explain(0 stderr "warning: secrets\\.yaml:14:3: ConfigMap settings ignored"
  --node node.yaml -f pod.yaml -f secrets.yaml --registry registry.yaml)

# Another pod, from a file written here, chosen with --pod: no arm64 entry, back-off within --for.
file(WRITE ${WORK_DIR}/legacy.yaml "apiVersion: v1\nkind: Pod\nmetadata: {name: legacy, namespace: tenant-a}\nspec:\n  imagePullSecrets: [{name: regcred}]\n  containers: [{name: app, image: registry.test/tenant-a/amd64-only:1.0}]\n")
expect_explain(0 stdout "no match for platform in manifest.*ImagePullBackOff"
  --node node.yaml -f pod.yaml -f ${WORK_DIR}/legacy.yaml -f secrets.yaml
  --registry registry.test=registry.yaml --pod tenant-a/legacy --for 2m)
expect_explain(2 stderr "-f gives 2 pods \\(tenant-a/web, tenant-a/legacy\\): choose one with --pod"
  --node node.yaml -f pod.yaml -f ${WORK_DIR}/legacy.yaml --registry registry.yaml)

# Bad inputs: file:line:col and what, exit 1.
file(WRITE ${WORK_DIR}/typo.yaml "apiVersion: v1\nkind: Podd\nmetadata: {name: x}\n")
expect_explain(1 stderr "typo\\.yaml:2:7: .*no matches for kind \"Podd\" in version \"v1\"; did you mean \"Pod\"\\?"
  --node node.yaml -f pod.yaml -f ${WORK_DIR}/typo.yaml --registry registry.yaml)
expect_explain(1 stderr "pod\\.yaml:3:7: .*kind \"Pod\" \\(v1\\) is not a node document"
  --node pod.yaml -f pod.yaml)
expect_explain(1 stderr "--registry registry.test=http://127\\.0\\.0\\.1:1: registry http://127\\.0\\.0\\.1:1 does not answer GET /v2/"
  --node node.yaml -f pod.yaml --registry registry.test=http://127.0.0.1:1)

# Usage errors, exit 2.
expect_explain(2 stderr "--node NODE\\.yaml is required" -f pod.yaml)
expect_explain(2 stderr "give a scenario file or --node with -f, not both"
  ${SOURCE_DIR}/fixtures/multi-tenant/cached-image-verified.yaml --node node.yaml -f pod.yaml)
expect_explain(2 stderr "--for wants a positive duration" --node node.yaml -f pod.yaml --for soon)
