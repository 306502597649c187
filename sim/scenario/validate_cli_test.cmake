# `pullsim validate` as a user runs it: exit codes and output lines (issue 7: 0 valid, 2 invalid).
# cmake -DPULLSIM=<binary> -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch> -P validate_cli_test.cmake
cmake_minimum_required(VERSION 3.25)

function(expect_run expected_code expected_regex)
  execute_process(COMMAND ${PULLSIM} validate ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT code EQUAL expected_code)
    message(FATAL_ERROR "validate ${ARGN}: exit ${code}, expected ${expected_code}\n${out}${err}")
  endif()
  if(NOT out MATCHES "${expected_regex}")
    message(FATAL_ERROR "validate ${ARGN}: output does not match ${expected_regex}:\n${out}")
  endif()
endfunction()

file(MAKE_DIRECTORY ${WORK_DIR})
file(WRITE ${WORK_DIR}/bad.yaml
     "name: bad\ndescription: d\nrules: [KUB-02]\nnodes:\n  - name: node-a\n"
     "    kubelet: {registryPullQPS: five}\nsteps: [{advance: 1s}]\n")
file(WRITE ${WORK_DIR}/good.yaml
     "name: good\ndescription: d\nrules: [KUB-02]\nsteps: [{advance: 1s}]\n")

expect_run(0 "^usage: pullsim validate" --help)
expect_run(0 "OK [^\n]*/fixtures/public-images/pull-public-image.yaml\n" ${SOURCE_DIR}/fixtures)
expect_run(2 "bad.yaml:6:32: nodes\\[0\\]\\.kubelet\\.registryPullQPS: expected an integer, got \"five\"\n"
           --rules ${SOURCE_DIR}/conformance/rules.yaml ${WORK_DIR}/bad.yaml)
expect_run(2 "OK [^\n]*good.yaml\n" --rules ${SOURCE_DIR}/conformance/rules.yaml
           ${WORK_DIR}/good.yaml ${WORK_DIR}/bad.yaml)
expect_run(2 "missing.yaml: no such file or folder" ${WORK_DIR}/missing.yaml)
expect_run(2 "^$" --no-such-option)
expect_run(2 "^$")
