# holon_add_plugin(<target> SOURCES <src>... [MANIFEST <plugin.json>] [OUTPUT_DIR <dir>])
#
# Builds a Holon plugin: a MODULE library with no "lib" prefix, hidden visibility, a linker
# version script that exports only `holon_plugin_entry`, and --no-undefined (except in sanitizer
# builds, whose runtime lives in the executable). The manifest (default: plugin.json next to the
# calling CMakeLists.txt) is copied next to the library so the plugin folder is complete:
#     <OUTPUT_DIR>/plugin.json
#     <OUTPUT_DIR>/<target>.so
# OUTPUT_DIR defaults to HOLON_PLUGIN_OUTPUT_DIR/<target> when that variable is set (the Holon
# source tree sets it so the built `holon` finds its plugins), else to the current binary dir.
include_guard(GLOBAL)

set(_HOLON_PLUGIN_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(holon_add_plugin target)
  cmake_parse_arguments(ARG "" "MANIFEST;OUTPUT_DIR" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "holon_add_plugin(${target}): SOURCES is required")
  endif()
  if(NOT ARG_MANIFEST)
    set(ARG_MANIFEST "${CMAKE_CURRENT_SOURCE_DIR}/plugin.json")
  endif()
  if(NOT ARG_OUTPUT_DIR)
    if(HOLON_PLUGIN_OUTPUT_DIR)
      set(ARG_OUTPUT_DIR "${HOLON_PLUGIN_OUTPUT_DIR}/${target}")
    else()
      set(ARG_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/${target}")
    endif()
  endif()

  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE HolonSDK::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIR}")
  # -fvisibility=hidden still leaks libstdc++ template symbols; the version script does not.
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${_HOLON_PLUGIN_CMAKE_DIR}/holon_plugin.map")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${_HOLON_PLUGIN_CMAKE_DIR}/holon_plugin.map")
  # Sanitizer runtimes live in the executable, so their symbols are undefined in the module.
  if(NOT HOLON_SANITIZE AND NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize")
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()
  if(EXISTS "${ARG_MANIFEST}")
    configure_file("${ARG_MANIFEST}" "${ARG_OUTPUT_DIR}/plugin.json" COPYONLY)
  else()
    message(FATAL_ERROR "holon_add_plugin(${target}): manifest ${ARG_MANIFEST} not found")
  endif()
endfunction()
