# STYLE.md §9: every tracked *.h and *.cpp is as clang-format 14 leaves it (.clang-format).
# Run: cmake -DSOURCE_DIR=<repo> [-DCLANG_FORMAT=<program>] -P cmake/check_format.cmake
# Fails listing the files `clang-format -i` would change. Without clang-format 14 or outside a
# git checkout it prints "format check skipped: <why>" and succeeds (ctest reports it skipped):
# another major version lays code out differently, so its verdict would be noise.
cmake_minimum_required(VERSION 3.25)

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "format check: pass -DSOURCE_DIR=<repository root>")
endif()
if(NOT CLANG_FORMAT)
  find_program(CLANG_FORMAT NAMES clang-format-14 clang-format)
endif()
if(NOT CLANG_FORMAT)
  message(STATUS "format check skipped: clang-format not found")
  return()
endif()
execute_process(COMMAND ${CLANG_FORMAT} --version OUTPUT_VARIABLE version RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT version MATCHES "version 14\\.")
  string(REGEX REPLACE "\n.*" "" version "${version}")
  message(STATUS "format check skipped: ${CLANG_FORMAT} is not clang-format 14 (${version})")
  return()
endif()

find_program(GIT NAMES git)
if(NOT GIT)
  message(STATUS "format check skipped: git not found (the files checked are git's tracked ones)")
  return()
endif()
execute_process(COMMAND ${GIT} -c core.quotepath=off ls-files -- "*.h" "*.cpp"
                WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE listed RESULT_VARIABLE rc
                ERROR_QUIET)
if(NOT rc EQUAL 0)
  message(STATUS "format check skipped: ${SOURCE_DIR} is not a git checkout")
  return()
endif()
# One path a line; a tracked file deleted in the work tree is passed over.
string(REPLACE "\n" ";" files "${listed}")
set(present "")
foreach(file IN LISTS files)
  if(file AND EXISTS "${SOURCE_DIR}/${file}")
    list(APPEND present "${file}")
  endif()
endforeach()
list(LENGTH present count)

execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${present}
                WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE rc ERROR_VARIABLE diagnostics
                OUTPUT_QUIET)
if(rc EQUAL 0)
  message(STATUS "format check: ${count} files as clang-format leaves them")
  return()
endif()
# Each diagnostic line starts "path:line:col: error: code should be clang-formatted".
string(REGEX MATCHALL "[^\n]+:[0-9]+:[0-9]+: error: code should be clang-formatted" hits
       "${diagnostics}")
set(bad "")
foreach(hit IN LISTS hits)
  string(REGEX REPLACE ":[0-9]+:[0-9]+: error:.*" "" file "${hit}")
  list(APPEND bad "${file}")
endforeach()
list(REMOVE_DUPLICATES bad)
if(NOT bad)
  message(FATAL_ERROR "format check: clang-format failed:\n${diagnostics}")
endif()
list(LENGTH bad bad_count)
list(JOIN bad "\n  " bad_lines)
message(FATAL_ERROR "format check: ${bad_count} of ${count} files are not formatted; "
                    "`clang-format -i <file>` fixes each:\n  ${bad_lines}")
