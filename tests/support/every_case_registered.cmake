# cmake -DEXE=path -DCASES=a,b,c -P every_case_registered.cmake
# Fails when the Boost.Test executable EXE lists a test case that is not in CASES: a suite split
# into one CTest test per case (fiscpos_add_test CASES) would never run a case added later.
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND ${EXE} --list_content OUTPUT_VARIABLE out ERROR_VARIABLE listed
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${EXE} --list_content failed (${rc}): ${listed}")
endif()
string(REPLACE "," ";" registered "${CASES}")
string(REGEX MATCHALL "\n    [A-Za-z0-9_]+" cases "${listed}${out}")
set(missing)
foreach(case IN LISTS cases)
    string(STRIP "${case}" case)
    if(NOT case IN_LIST registered)
        list(APPEND missing ${case})
    endif()
endforeach()
if(missing)
    message(FATAL_ERROR "test cases CTest never runs (add them to CASES): ${missing}")
endif()
list(LENGTH cases count)
message(STATUS "${count} cases, each registered")
