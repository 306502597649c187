# Helpers that keep one module = one library = one unit-test executable (STYLE.md §1, §8).

# pullsim_add_module(NAME SOURCES ... [DEPS ...] [TEST_SOURCES ...])
#   Builds static library pullsim_NAME (alias pullsim::NAME) from SOURCES, linked PUBLIC to DEPS,
#   and, when TEST_SOURCES are given, the unit-test executable pullsim_NAME_test.
function(pullsim_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;TEST_SOURCES;TEST_DEPS" ${ARGN})
  add_library(pullsim_${name} STATIC ${ARG_SOURCES})
  add_library(pullsim::${name} ALIAS pullsim_${name})
  target_include_directories(pullsim_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(pullsim_${name} PUBLIC ${ARG_DEPS} PRIVATE pullsim_warnings)
  if(ARG_TEST_SOURCES)
    pullsim_add_test(${name}_test SOURCES ${ARG_TEST_SOURCES}
                     DEPS pullsim::${name} ${ARG_TEST_DEPS} LABELS unit)
  endif()
endfunction()

# pullsim_add_test(NAME SOURCES ... [DEPS ...] [LABELS ...])
#   A GoogleTest executable; each TEST becomes a ctest test carrying LABELS.
function(pullsim_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(pullsim_${name} ${ARG_SOURCES})
  target_link_libraries(pullsim_${name} PRIVATE ${ARG_DEPS} pullsim::testing GTest::gmock
                        GTest::gtest_main pullsim_warnings)
  target_compile_definitions(pullsim_${name} PRIVATE
    PULLSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}" PULLSIM_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(pullsim_${name} DISCOVERY_MODE PRE_TEST
                       PROPERTIES LABELS "${ARG_LABELS}")
endfunction()

# pullsim_add_bench(NAME SOURCES ... [DEPS ...]): a Google Benchmark program bench/NAME.
function(pullsim_add_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark pullsim_warnings)
  target_compile_definitions(${name} PRIVATE PULLSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endfunction()
