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
# The C ABI's reference and the C programs, with the development package.
set(FISCPOS_DEV_DOC_DIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/libfiscpos-dev)
install(FILES ${PROJECT_SOURCE_DIR}/docs/c-abi.md DESTINATION ${FISCPOS_DEV_DOC_DIR}
    COMPONENT development)
install(FILES ${PROJECT_SOURCE_DIR}/samples/c/pay.c ${PROJECT_SOURCE_DIR}/samples/consumer/consumer.c
    ${PROJECT_SOURCE_DIR}/samples/consumer/CMakeLists.txt
    DESTINATION ${FISCPOS_DEV_DOC_DIR}/examples COMPONENT development)

# CPack: the Debian packages (scripts/package.sh). Version from project(); stripped binaries,
# their debug symbols in -dbgsym .ddeb packages (the build needs -g); dependencies from
# dpkg-shlibdeps, plus libfiscpos-dev -> libfiscpos<N> of the same version.
get_target_property(FISCPOS_SOVERSION fiscpos_shared SOVERSION)
set(FISCPOS_PACKAGE_MAINTAINER "fiscpos maintainers <fiscpos@example.gr>" CACHE STRING
    "The Maintainer field of the Debian packages")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME fiscpos)
set(CPACK_PACKAGE_VENDOR fiscpos)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_COMPONENTS_ALL runtime development tools)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${FISCPOS_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libfiscpos${FISCPOS_SOVERSION})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# A shlibs file, so that a package linking libfiscpos gets "libfiscpos<N> (>= version)" (only
# the runtime package holds a shared library).
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "card payments under AADE A.1155/2023 - C library
libfiscpos takes card payments the way Greek law (AADE decision A.1155/2023)
requires, for ERPs written in any language that can call C: before every card
payment it obtains the e-invoicing provider's signature, hands it to the card
terminal's network (Mellon WebECR, Viva, GP tom), waits for the outcome and
keeps a hash-chained cash journal (SQLite or PostgreSQL) for the accountant.

This package holds the shared library, with a C interface of JSON strings.")

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libfiscpos-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS runtime)
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION
    "card payments under AADE A.1155/2023 - development files
The header fiscpos/fiscpos.h, the libfiscpos.so link, the CMake package
(find_package(fiscpos CONFIG), target fiscpos::fiscpos) and fiscpos.pc for
pkg-config, with the C interface's reference and C examples.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME fiscpos)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION misc)
# postinst makes the user fiscpos.service runs as with adduser.
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS adduser)
set(CPACK_DEBIAN_TOOLS_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_COMPONENT_TOOLS_DESCRIPTION
    "card payments under AADE A.1155/2023 - command, HTTP service, simulator
The fiscpos command (pay, refund, void, reconcile, the cash journal, invoices
and receipts) and fiscpos serve, the HTTP API for ERPs that do not load the
library, with the networks' webhook endpoints and the accountant's audit
pages, run by the systemd unit fiscpos.service. Also fiscpos-sim, a simulator
of the provider, the card networks and the SMS gateways on loopback, and
example configurations.")

include(CPack)

# What the packages hold, to build before cpack (scripts/package.sh, scripts/consumer-check.sh).
add_custom_target(fiscpos_shipped)
add_dependencies(fiscpos_shipped fiscpos_shared fiscpos fiscpos_sim_app)
