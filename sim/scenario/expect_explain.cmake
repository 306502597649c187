# expect_explain(CODE STREAM REGEX ARGS...), shared by the `pullsim explain` CLI tests: runs
# `${PULLSIM} explain ARGS...` (in ${explain_working_dir} when the caller sets it) and fails unless
# it exits CODE and STREAM ("stdout" or "stderr") matches REGEX. Leaves stdout in `last_out`.
function(expect_explain expected_code stream expected_regex)
  set(working_dir)
  if(DEFINED explain_working_dir)
    set(working_dir WORKING_DIRECTORY ${explain_working_dir})
  endif()
  execute_process(COMMAND ${PULLSIM} explain ${ARGN} ${working_dir}
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code STREQUAL "${expected_code}")
    message(FATAL_ERROR "explain ${ARGN}: exit ${code}, expected ${expected_code}\n${out}${err}")
  endif()
  if(stream STREQUAL "stdout")
    set(text "${out}")
  else()
    set(text "${err}")
  endif()
  if(NOT text MATCHES "${expected_regex}")
    message(FATAL_ERROR "explain ${ARGN}: ${stream} does not match ${expected_regex}:\n${out}${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
endfunction()
