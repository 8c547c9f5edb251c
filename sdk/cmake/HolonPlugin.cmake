# holon_add_plugin(<target> SOURCES <src>... [MANIFEST <plugin.json>] [OUTPUT_DIR <dir>]
#                  [SDK <interface target>])
#
# Builds a Holon plugin: a MODULE library with no "lib" prefix, hidden visibility, a linker
# version script that exports only `holon_plugin_entry`, and --no-undefined (except in sanitizer
# builds, whose runtime lives in the executable). The manifest (default: plugin.json next to the
# calling CMakeLists.txt) is copied next to the library so the plugin folder is complete:
#     <OUTPUT_DIR>/plugin.json
#     <OUTPUT_DIR>/<target>.so
# OUTPUT_DIR defaults to HOLON_PLUGIN_OUTPUT_DIR/<target> when that variable is set (the Holon
# source tree sets it so the built `holon` finds its plugins), else to
# <current binary dir>/<target>.
# SDK names the target that provides the headers (default HolonSDK::sdk); the ABI tests use it to
# build a plugin against a frozen copy of an older SDK.
#
# Works both inside the Holon source tree and from an installed SDK
# (find_package(HolonSDK) includes this file); the version script is found next to this file.
include_guard(GLOBAL)
if(CMAKE_VERSION VERSION_LESS 3.17)
  message(FATAL_ERROR "HolonPlugin.cmake needs CMake 3.17 or newer (CMAKE_CURRENT_FUNCTION_LIST_DIR)")
endif()

function(holon_add_plugin target)
  cmake_parse_arguments(ARG "" "MANIFEST;OUTPUT_DIR;SDK" "SOURCES" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "holon_add_plugin(${target}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "holon_add_plugin(${target}): SOURCES is required")
  endif()
  if(NOT ARG_MANIFEST)
    set(ARG_MANIFEST "${CMAKE_CURRENT_SOURCE_DIR}/plugin.json")
  endif()
  if(NOT ARG_SDK)
    set(ARG_SDK HolonSDK::sdk)
  endif()
  if(NOT ARG_OUTPUT_DIR)
    if(HOLON_PLUGIN_OUTPUT_DIR)
      set(ARG_OUTPUT_DIR "${HOLON_PLUGIN_OUTPUT_DIR}/${target}")
    else()
      set(ARG_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/${target}")
    endif()
  endif()
  if(NOT EXISTS "${ARG_MANIFEST}")
    message(FATAL_ERROR "holon_add_plugin(${target}): manifest ${ARG_MANIFEST} not found")
  endif()

  # The directory of this file, wherever the caller is (a variable set at include time would be
  # invisible in sibling directories of the includer).
  set(map_file "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/holon_plugin.map")

  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ${ARG_SDK})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIR}")
  # -fvisibility=hidden still leaks libstdc++ template symbols; the version script does not.
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${map_file}")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${map_file}")
  # Sanitizer runtimes live in the executable, so their symbols are undefined in the module.
  if(NOT HOLON_SANITIZE AND NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize" AND NOT CMAKE_C_FLAGS MATCHES "-fsanitize")
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()
  configure_file("${ARG_MANIFEST}" "${ARG_OUTPUT_DIR}/plugin.json" COPYONLY)
endfunction()

# holon_embed_json(<target> HEADER <name.hpp> NAMESPACE <C++ namespace> FILES <file.json>...)
#
# Embeds JSON files (a method's params and result schemas) into <target> as string constants, so
# schemas are written and reviewed as .json files instead of C++ raw strings. Generates
# <name.hpp> at build time (re-generated when a file changes; invalid JSON fails the build) with
#     namespace <ns> { inline constexpr std::string_view <file name without .json> = "..."; }
# where the name has every character that is not a letter or digit turned into '_':
# schemas/diagnose.params.json -> diagnose_params. The header's folder is added to the target's
# private include path: #include "<name.hpp>". Files not ending in .json (the host embeds its
# OpenAPI YAML the same way) are embedded as they are, unchecked: openapi.yaml -> openapi_yaml.
function(holon_embed_json target)
  cmake_parse_arguments(ARG "" "HEADER;NAMESPACE" "FILES" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS OR NOT ARG_HEADER OR NOT ARG_NAMESPACE OR NOT ARG_FILES)
    message(FATAL_ERROR "holon_embed_json(${target} HEADER <name.hpp> NAMESPACE <ns> FILES <file.json>...)")
  endif()
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/holon_embedded/${target}")
  set(out "${out_dir}/${ARG_HEADER}")
  set(files "")
  foreach(file IN LISTS ARG_FILES)
    get_filename_component(file "${file}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND files "${file}")
  endforeach()
  list(JOIN files "|" joined)
  set(script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/HolonEmbedJson.cmake")
  add_custom_command(OUTPUT "${out}"
    COMMAND "${CMAKE_COMMAND}" "-DOUTPUT=${out}" "-DNAMESPACE=${ARG_NAMESPACE}" "-DFILES=${joined}" -P "${script}"
    DEPENDS ${files} "${script}"
    COMMENT "Embedding JSON into ${target} (${ARG_HEADER})"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
  target_include_directories(${target} PRIVATE "${out_dir}")
endfunction()
