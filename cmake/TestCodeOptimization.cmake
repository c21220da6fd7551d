# FISCPOS_TEST_CODE_O0: the tests, the simulator, the demo and the benchmarks compiled at -O0,
# whatever the build type; the library and the fiscpos program keep the build type's flags.
# CI's sanitizer builds turn it on (scripts/sanitize.sh): under ASan + UBSan a Boost.Test file
# compiles in about 60 % of the time at -O0 (37 s against 22 s for the largest), and the code
# whose behaviour the suites check is the library's, which stays optimized as configured.
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
            endif()
        endforeach()
    endforeach()
endfunction()
