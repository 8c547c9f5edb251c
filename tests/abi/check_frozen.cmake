# cmake -DFILE=<path> -DSHA256=<hex> -P check_frozen.cmake
# The frozen v1.0 headers are a record of what v1.0 plugins were compiled against: they must never
# be edited, not even to fix a comment. A new SDK version gets a new frozen folder instead.
file(SHA256 "${FILE}" actual)
if(NOT actual STREQUAL SHA256)
  message(FATAL_ERROR "${FILE} changed (sha256 ${actual}, frozen ${SHA256}); restore it from git")
endif()
message(STATUS "${FILE}: unchanged")
