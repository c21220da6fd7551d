# fiscpos_add_fuzzer(NAME LIBS lib...): a libFuzzer target from NAME.cpp of the calling folder, seeds
# in its corpus/NAME/. Configured only with -DFISCPOS_FUZZ=ON and clang; every target is a CTest
# test labelled "fuzz" that runs FISCPOS_FUZZ_SECONDS over its seed corpus and fails on any crash,
# leak, sanitizer report or timeout. New inputs go to <build>/fuzz/corpus/NAME, never into the
# sources.
set(FISCPOS_FUZZ_SECONDS 20 CACHE STRING "Seconds each fuzz target runs under CTest")

add_custom_target(fiscpos_fuzzers)

function(fiscpos_add_fuzzer name)
    cmake_parse_arguments(F "" "" "LIBS" ${ARGN})
    add_executable(fuzz_${name} ${name}.cpp)
    # Every target in <build>/fuzz/, wherever its source lives.
    set_target_properties(fuzz_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
    target_link_libraries(fuzz_${name} PRIVATE ${F_LIBS} fiscpos_options)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    add_dependencies(fiscpos_fuzzers fuzz_${name})
    set(work ${PROJECT_BINARY_DIR}/fuzz/corpus/${name})
    set(artifacts ${PROJECT_BINARY_DIR}/fuzz/artifacts)
    file(MAKE_DIRECTORY ${work} ${artifacts})
    add_test(NAME fuzz_${name}
        COMMAND fuzz_${name} -max_total_time=${FISCPOS_FUZZ_SECONDS} -timeout=10
            -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=${artifacts}/${name}-
            ${work} ${CMAKE_CURRENT_SOURCE_DIR}/corpus/${name})
    set_tests_properties(fuzz_${name} PROPERTIES LABELS fuzz
        TIMEOUT 300
        ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1;UBSAN_OPTIONS=print_stacktrace=1")
endfunction()

