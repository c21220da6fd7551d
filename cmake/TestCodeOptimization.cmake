# FISCPOS_TEST_CODE_O0: the tests, the simulator, the demo and the benchmarks compiled at -O0
# and, in an ASan + UBSan build, without UBSan's checks, whatever the build type; the library and
# the fiscpos program keep the build type's flags and every sanitizer. The ASan build of CI turns
# it on (scripts/sanitize.sh): the largest Boost.Test file compiles in 37 s at -O1 with ASan +
# UBSan, 22 s at -O0, 15 s at -O0 without UBSan; the code whose behaviour the suites check is the
# library's.
option(FISCPOS_TEST_CODE_O0 "Compile tests, simulator, demo and benchmarks at -O0" OFF)

# Called once every target exists.
function(fiscpos_unoptimize_test_code)
    if(NOT FISCPOS_TEST_CODE_O0)
        return()
    endif()
    foreach(dir sim demo bench tests)
        fiscpos_targets_below("${PROJECT_SOURCE_DIR}/${dir}" targets)
        foreach(target IN LISTS targets)
            get_target_property(type ${target} TYPE)
            if(type MATCHES "^(STATIC_LIBRARY|EXECUTABLE)$")
                target_compile_options(${target} PRIVATE -O0)
                if(FISCPOS_FUZZ OR FISCPOS_SANITIZE STREQUAL "ON")
                    target_compile_options(${target} PRIVATE -fno-sanitize=undefined)
                endif()
            endif()
        endforeach()
    endforeach()
endfunction()
