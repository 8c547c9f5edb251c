# Debian packages, built with `cpack -G DEB` in a release build folder (.ci/package.sh does it
# and checks them):
#   holon             the server and CLI, the runner, the bundled plugins, the systemd unit and
#                     /etc/holon/holon.yaml (component groups "host" + "service");
#   libholonsdk-dev   the plugin SDK: headers and the CMake package for find_package(HolonSDK)
#                     (component "sdk").
# Dependencies on shared libraries come from dpkg-shlibdeps; programs Holon runs (gnuplot for
# batch plots) and the fonts its pictures use are listed by hand.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME holon)
set(CPACK_PACKAGE_VENDOR "Holon")
set(CPACK_PACKAGE_CONTACT "Holon maintainers <holon@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# No CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPackDeb would put it in front of every component's
# description, making it the synopsis of libholonsdk-dev too. Each description's first line is its
# package's synopsis; CPack indents the lines after it (under 80 characters each) by one space.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL host service sdk)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_COMPONENT_HOST_GROUP server)
set(CPACK_COMPONENT_SERVICE_GROUP server)
set(CPACK_COMPONENT_SDK_GROUP sdk)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME holon)
set(CPACK_DEBIAN_SERVER_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, gnuplot-nox, fonts-dejavu-core")
set(CPACK_DEBIAN_SERVER_DESCRIPTION
    "Headless platform for systems-thinking methods\nSystem Dynamics, causal loops, scenarios, the Viable System Model,\nSoft Systems Methodology and Critical Systems Heuristics over one shared\nmodel, served by a REST API with a batch runner. Runs as the systemd\nservice holon.")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    "${CMAKE_SOURCE_DIR}/host/service/postinst;${CMAKE_SOURCE_DIR}/host/service/prerm;${CMAKE_SOURCE_DIR}/host/service/postrm;${CMAKE_SOURCE_DIR}/host/service/conffiles")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_SDK_PACKAGE_NAME libholonsdk-dev)
set(CPACK_DEBIAN_SDK_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS "cmake (>= 3.17), nlohmann-json3-dev (>= 3.10)")
set(CPACK_DEBIAN_SDK_DESCRIPTION
    "Holon plugin SDK\nThe C ABI header, the header-only C++ layer and the CMake package\n(find_package(HolonSDK), holon_add_plugin) to build Holon plugins out\nof tree.")

include(CPack)
