# FISCPOS_PCH: precompiled headers for every C++ target of several files, so that the heavy common
# headers (nlohmann/json, Poco, Boost.Test, the standard library) are parsed once per target. CI's
# sanitizer builds turn it on (scripts/sanitize.sh); it is off by default because a compiler cache
# (ccache) does not reuse precompiled headers.
option(FISCPOS_PCH "Precompile the common headers of each target (faster clean builds)" OFF)

# Every target defined in `dir` and below.
function(fiscpos_targets_below dir out)
    get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
    get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
    foreach(sub IN LISTS subdirs)
        fiscpos_targets_below("${sub}" more)
        list(APPEND targets ${more})
    endforeach()
    set(${out} ${targets} PARENT_SCOPE)
endfunction()

# Called once every target exists. A target gets the headers when it builds 3 or more C++ files
# and no other language; a test executable (linking Boost.Test) also gets Boost.Test's.
# fiscpos_test_support defines BOOST_TEST_MODULE before its include and so gets none.
function(fiscpos_precompile_headers)
    if(NOT FISCPOS_PCH)
        return()
    endif()
    fiscpos_targets_below("${PROJECT_SOURCE_DIR}" targets)
    foreach(target IN LISTS targets)
        get_target_property(type ${target} TYPE)
        if(NOT type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|EXECUTABLE)$"
           OR target STREQUAL "fiscpos_test_support")
            continue()
        endif()
        get_target_property(sources ${target} SOURCES)
        set(cpp 0)
        set(other 0)
        foreach(source IN LISTS sources)
            if(source MATCHES "\\.cpp$")
                math(EXPR cpp "${cpp} + 1")
            elseif(source MATCHES "\\.(c|cc|cxx)$")
                math(EXPR other "${other} + 1")
            endif()
        endforeach()
        if(cpp LESS 3 OR other GREATER 0)
            continue()
        endif()
        get_target_property(links ${target} LINK_LIBRARIES)
        if(links MATCHES "fiscpos_test_support")
            target_precompile_headers(${target} PRIVATE
                "$<$<COMPILE_LANGUAGE:CXX>:${PROJECT_SOURCE_DIR}/cmake/precompiled_test.hpp>")
        else()
            target_precompile_headers(${target} PRIVATE
                "$<$<COMPILE_LANGUAGE:CXX>:${PROJECT_SOURCE_DIR}/cmake/precompiled.hpp>")
        endif()
    endforeach()
endfunction()
