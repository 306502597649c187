# `pullsim run` as a user runs it (issue 7): exit 0 when every scenario passes, 1 when any fails,
# 2 when any is invalid; a scenario file with a mistake is reported as file:line:col, field and
# message, never a crash. 27 kinds of mistakes, then the exit codes of passing and failing runs
# and the result files.
# cmake -DPULLSIM=<binary> -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch> -P run_cli_test.cmake
cmake_minimum_required(VERSION 3.25)

function(expect_run expected_code expected_regex)
  execute_process(COMMAND ${PULLSIM} run --rules ${SOURCE_DIR}/conformance/rules.yaml ${ARGN}
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code STREQUAL "${expected_code}")
    message(FATAL_ERROR "run ${ARGN}: exit ${code}, expected ${expected_code}\n${out}${err}")
  endif()
  if(NOT out MATCHES "${expected_regex}")
    message(FATAL_ERROR "run ${ARGN}: output does not match ${expected_regex}:\n${out}${err}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(head "name: bad\ndescription: d\nrules: [KUB-02]\n")
set(pod "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: nginx}]}}")

# Each mistake: a file name, its text, and what `run` must print for it after "file:".
set(kinds 0)
set(all_files)
function(mistake name text regex)
  file(WRITE ${WORK_DIR}/${name}.yaml "${text}")
  expect_run(2 "INVALID [^\n]*${name}\\.yaml\n(  [^\n]*\n)*  [^\n]*${name}\\.yaml:${regex}"
             ${WORK_DIR}/${name}.yaml)
  set(all_files ${all_files} ${WORK_DIR}/${name}.yaml PARENT_SCOPE)
  math(EXPR next "${kinds} + 1")
  set(kinds ${next} PARENT_SCOPE)
endfunction()

mistake(unknown-key "${head}stpes: []\n"
        [=[4:1: stpes: unknown key "stpes". did you mean "steps"\?]=])
mistake(wrong-type "${head}nodes:\n  - name: node-a\n    kubelet: {registryPullQPS: five}\nsteps: [{advance: 1s}]\n"
        [=[6:32: nodes\[0\]\.kubelet\.registryPullQPS: expected an integer, got "five"]=])
mistake(missing-field "name: bad\nrules: [KUB-02]\nsteps: [{advance: 1s}]\n"
        [=[1:1: missing required field "description"]=])
mistake(bad-duration "${head}steps: [{advance: 5 minutes}]\n"
        [=[4:19: steps\[0\]\.advance: invalid duration "5 minutes"]=])
mistake(bad-platform "${head}nodes: [{name: node-a, platform: linux/amd64/v2/x}]\nsteps: [{advance: 1s}]\n"
        [=[4:34: nodes\[0\]\.platform: invalid platform "linux/amd64/v2/x"]=])
mistake(bad-reference "${head}nodes: [{name: node-a, images: [\"Nginx:1.0\"]}]\nsteps: [{advance: 1s}]\n"
        [=[4:33: nodes\[0\]\.images\[0\]: invalid image reference "Nginx:1.0"]=])
mistake(unknown-rule "name: bad\ndescription: d\nrules: [KUB-99]\nsteps: [{advance: 1s}]\n"
        [=[3:9: rules\[0\]: unknown rule id "KUB-99"]=])
mistake(dangling-node "${head}nodes: [{name: node-a}]\nsteps:\n  - apply: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {nodeName: node-b, containers: [{name: c, image: nginx}]}}\n"
        [=[6:78: steps\[0\]\.apply\.spec\.nodeName: unknown node "node-b". did you mean "node-a"\?]=])
mistake(pod-not-applied "${head}nodes: [{name: node-a}]\nsteps:\n  - expect: {pod: ghost, state: Running}\n"
        [=[6:19: steps\[0\]\.expect\.pod: pod "default/ghost" is not applied before this step]=])
mistake(unknown-registry "${head}steps:\n  - push: {registry: nowhere.test, repository: a, tag: \"1\"}\n"
        [=[5:22: steps\[0\]\.push\.registry: unknown registry "nowhere.test"]=])
mistake(yaml-syntax "${head}steps: [{advance: 1s}\n"
        [=[5:1: YAML syntax error]=])
mistake(duplicate-key "${head}name: again\nsteps: [{advance: 1s}]\n"
        [=[4:1: name: duplicate key "name" \(first written at line 1\)]=])
mistake(bad-state "${head}nodes: [{name: node-a}]\nsteps:\n  - apply: ${pod}\n  - expect: {pod: p, state: Runing}\n"
        [=[7:29: steps\[1\]\.expect\.state: unknown container state "Runing". did you mean "Running"\?]=])
mistake(unknown-step "${head}steps:\n  - expekt: {node: node-a}\n"
        [=[5:5: steps\[0\]\.expekt: unknown step "expekt". did you mean "expect"\?]=])
mistake(empty ""
        [=[1:1: the file is empty]=])
mistake(missing-manifest "${head}objects: [{file: data/nope.yaml}]\nsteps: [{advance: 1s}]\n"
        [=[4:18: objects\[0\]\.file: no manifest file]=])
mistake(unscheduled-pod "${head}nodes: [{name: a}, {name: b}]\nsteps:\n  - apply: ${pod}\n"
        [=[6:[0-9]+: steps\[0\]\.apply\.spec: missing spec\.nodeName]=])
mistake(negative-count "${head}nodes: [{name: node-a}]\nsteps:\n  - expect: {node: node-a, pulls: -1}\n"
        [=[6:35: steps\[0\]\.expect\.pulls: expected an integer from 0]=])
mistake(bad-credential "${head}nodes: [{name: node-a}]\nsteps:\n  - apply: ${pod}\n  - expect: {pod: p, credential: \"vault:x\"}\n"
        [=[7:34: steps\[1\]\.expect\.credential: expected "anonymous", "secret:NAME"]=])
mistake(top-level-list "- name: bad\n"
        [=[1:1: expected a mapping with name, description, rules, registries, nodes and steps, got a list]=])
mistake(bad-policy "${head}nodes: [{name: node-a, kubelet: {imagePullCredentialsVerificationPolicy: Sometimes}}]\nsteps: [{advance: 1s}]\n"
        [=[4:74: nodes\[0\]\.kubelet\.imagePullCredentialsVerificationPolicy: unknown]=])
mistake(two-step-kinds "${head}steps:\n  - {advance: 1s, expect: {node: node-a}}\n"
        [=[5:5: steps\[0\]: a step does one thing. it has both "advance" and "expect"]=])

# Hostile files, built here: binary, deeply nested, an alias bomb.
string(ASCII 1 control)
string(REPEAT "[" 100 open)
string(REPEAT "]" 100 close)
set(bomb "${head}a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
foreach(i RANGE 1 8)
  math(EXPR previous "${i} - 1")
  string(REPEAT "*a${previous}, " 9 repeated)
  string(APPEND bomb "a${i}: &a${i} [${repeated}*a${previous}]\n")
endforeach()
string(APPEND bomb "steps: [{advance: 1s}]\n")
mistake(binary "name: x\n${control}${control}binary\n" [=[2:1: control character 0x01 is not allowed]=])
mistake(deep "${head}steps: ${open}${close}\n" [=[4:[0-9]+: lists and mappings are nested deeper than 64]=])
mistake(alias-bomb "${bomb}" [=[[0-9]+:[0-9]+: the file expands to more than 500000 YAML nodes]=])
# A value only the kubelet refuses, when the node is built: invalid too, not a failure.
mistake(bad-allowlist "${head}nodes:\n  - name: node-a\n    kubelet:\n      imagePullCredentialsVerificationPolicy: NeverVerifyAllowlistedImages\n      preloadedImagesVerificationAllowlist: [\"registry.test/*/x\"]\nsteps: [{advance: 1s}]\n"
        [=[5:5: nodes\[0\]: node node-a: invalid configuration: invalid image pattern]=])
mistake(not-a-mapping-step "${head}steps: [42]\n" [=[4:9: steps\[0\]: ]=])

if(kinds LESS 20)
  message(FATAL_ERROR "only ${kinds} kinds of mistakes were tried. issue 7 asks for 20")
endif()
list(LENGTH all_files count)

# Several files at once: every one is reported, the run exits 2.
expect_run(2 "${count} scenarios: 0 passed, 0 failed, ${count} invalid" --quiet ${all_files})

# A passing scenario exits 0, a failing one 1 with file:line, expected and actual; invalid wins.
file(WRITE ${WORK_DIR}/ok/pass.yaml
     "name: pass\ndescription: d\nrules: [KUB-02]\nnodes: [{name: node-a}]\n"
     "steps:\n  - expect: {node: node-a, pulls: 0}\n")
file(WRITE ${WORK_DIR}/ok/fail.yaml
     "name: fail\ndescription: d\nrules: [KUB-02]\nnodes: [{name: node-a}]\n"
     "steps:\n  - expect: {node: node-a, pulls: 3}\n")
expect_run(0 "PASS [^\n]*pass\\.yaml\n" ${WORK_DIR}/ok/pass.yaml)
expect_run(1 "FAIL [^\n]*fail\\.yaml\n  [^\n]*fail\\.yaml:6:35: node node-a: pulls\n    expected: 3 pulls\n    actual:   0 pulls"
           ${WORK_DIR}/ok/fail.yaml)
expect_run(2 "1 passed, 1 failed, 1 invalid" ${WORK_DIR}/ok ${WORK_DIR}/empty.yaml)
expect_run(2 "no such file or folder" ${WORK_DIR}/missing.yaml)

# Result files, folders created as needed.
expect_run(1 "FAIL" ${WORK_DIR}/ok --json ${WORK_DIR}/out/results.json
           --junit ${WORK_DIR}/out/junit.xml --report ${WORK_DIR}/out/report.html)
foreach(output results.json junit.xml report.html)
  if(NOT EXISTS ${WORK_DIR}/out/${output})
    message(FATAL_ERROR "run --json/--junit/--report did not write ${output}")
  endif()
endforeach()
file(READ ${WORK_DIR}/out/results.json json)
if(NOT json MATCHES "pullsim.results/v1" OR NOT json MATCHES "fail\\.yaml")
  message(FATAL_ERROR "results.json lacks the schema or the scenario:\n${json}")
endif()

# Usage errors.
expect_run(2 "^$" --no-such-option ${WORK_DIR}/ok)
expect_run(2 "^$" --json)
execute_process(COMMAND ${PULLSIM} run RESULT_VARIABLE code OUTPUT_QUIET ERROR_QUIET)
if(NOT code EQUAL 2)
  message(FATAL_ERROR "run without a path: exit ${code}, expected 2")
endif()
execute_process(COMMAND ${PULLSIM} run --help RESULT_VARIABLE code OUTPUT_VARIABLE out)
if(NOT code EQUAL 0 OR NOT out MATCHES "^usage: pullsim run")
  message(FATAL_ERROR "run --help: exit ${code}\n${out}")
endif()
