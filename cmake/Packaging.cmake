# Installing fiscpos and packaging it for Debian (docs/packaging.md). Included last by the top
# CMakeLists.txt, once every target exists. Three install components, one .deb each:
#   runtime      libfiscpos.so.N                                  -> libfiscpos<N>
#   development  fiscpos.h, libfiscpos.so, the CMake package, .pc  -> libfiscpos-dev
#   tools        fiscpos, fiscpos-sim, the systemd unit, examples  -> fiscpos
# The paths follow GNUInstallDirs; the packages install under CMAKE_INSTALL_PREFIX (scripts/
# package.sh configures /usr).
include(CMakePackageConfigHelpers)

# find_package(fiscpos CONFIG): the imported target fiscpos::fiscpos, the shared C library with
# its header's folder on the include path. The version file accepts any 0.x.y for 0.x.y and
# later: the same major version, as libfiscpos.so's SOVERSION.
set(FISCPOS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/fiscpos)
install(EXPORT fiscposTargets NAMESPACE fiscpos:: FILE fiscposTargets.cmake
    DESTINATION ${FISCPOS_CMAKE_DIR} COMPONENT development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/fiscposConfig.cmake.in
    ${PROJECT_BINARY_DIR}/fiscposConfig.cmake INSTALL_DESTINATION ${FISCPOS_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/fiscposConfigVersion.cmake
    COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/fiscposConfig.cmake
    ${PROJECT_BINARY_DIR}/fiscposConfigVersion.cmake
    DESTINATION ${FISCPOS_CMAKE_DIR} COMPONENT development)

# pkg-config: fiscpos.pc, its prefix found from its own folder (${pcfiledir}), so that the tree
# still works when moved (or unpacked somewhere else than /usr).
set(FISCPOS_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH FISCPOS_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig
    ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" FISCPOS_PC_TO_PREFIX "${FISCPOS_PC_TO_PREFIX}")
foreach(dir LIBDIR INCLUDEDIR)
    if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
        set(FISCPOS_PC_${dir} "${CMAKE_INSTALL_${dir}}")
    else()
        set(FISCPOS_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
    endif()
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/fiscpos.pc.in ${PROJECT_BINARY_DIR}/fiscpos.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/fiscpos.pc DESTINATION ${FISCPOS_PC_DIR}
    COMPONENT development)

# The systemd unit of `fiscpos serve` (packaging/fiscpos.service.in).
set(FISCPOS_SYSTEMD_UNIT_DIR lib/systemd/system CACHE STRING
    "Where the systemd unit of fiscpos serve is installed (relative to the prefix, or absolute)")
set(FISCPOS_CONFIG_FILE ${CMAKE_INSTALL_FULL_SYSCONFDIR}/fiscpos/fiscpos.ini)
configure_file(${PROJECT_SOURCE_DIR}/packaging/fiscpos.service.in
    ${PROJECT_BINARY_DIR}/fiscpos.service @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/fiscpos.service DESTINATION ${FISCPOS_SYSTEMD_UNIT_DIR}
    COMPONENT tools)

# Examples: the configuration template (its journal in the service's state directory, where the
# unit lets serve write), the simulator's configuration and the sample invoices.
file(READ ${PROJECT_SOURCE_DIR}/samples/fiscpos.ini FISCPOS_SAMPLE_INI)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/samples/fiscpos.ini)
set(FISCPOS_SAMPLE_JOURNAL "url = sqlite:fiscpos.db")
string(FIND "${FISCPOS_SAMPLE_INI}" "\n${FISCPOS_SAMPLE_JOURNAL}\n" FISCPOS_JOURNAL_AT)
if(FISCPOS_JOURNAL_AT EQUAL -1)
    message(FATAL_ERROR "samples/fiscpos.ini has no line '${FISCPOS_SAMPLE_JOURNAL}' for the "
        "packaged example to point at /var/lib/fiscpos/fiscpos.db (cmake/Packaging.cmake)")
endif()
string(REPLACE "\n${FISCPOS_SAMPLE_JOURNAL}\n"
    "\nurl = sqlite:/var/lib/fiscpos/fiscpos.db     ; the state directory of fiscpos.service\n"
    FISCPOS_SAMPLE_INI "${FISCPOS_SAMPLE_INI}")
file(WRITE ${PROJECT_BINARY_DIR}/examples/fiscpos.ini "${FISCPOS_SAMPLE_INI}")
set(FISCPOS_EXAMPLES_DIR ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES ${PROJECT_BINARY_DIR}/examples/fiscpos.ini
    ${PROJECT_SOURCE_DIR}/samples/fiscpos-sim.ini
    DESTINATION ${FISCPOS_EXAMPLES_DIR} COMPONENT tools)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/samples/invoices DESTINATION ${FISCPOS_EXAMPLES_DIR}
    COMPONENT tools)
install(FILES ${PROJECT_SOURCE_DIR}/docs/serve.md ${PROJECT_SOURCE_DIR}/docs/operations.md
    ${PROJECT_SOURCE_DIR}/docs/journal.md ${PROJECT_SOURCE_DIR}/docs/receipts.md
    ${PROJECT_SOURCE_DIR}/docs/packaging.md
    DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT tools)
