# Warnings are errors in our own code (not in third-party headers, which come in as SYSTEM).
function(holon_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
endfunction()

# -Wconversion where it pays: numeric code (engines, protocol, SDK layer).
function(holon_strict_warnings target)
  holon_warnings(${target})
  target_compile_options(${target} PRIVATE -Wconversion -Wsign-conversion)
endfunction()
