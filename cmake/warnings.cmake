# Warnings for every target of ours: csctl_warnings is linked privately by each of them.
add_library(csctl_warnings INTERFACE)
target_compile_options(csctl_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wnull-dereference
  -Wimplicit-fallthrough -Wno-missing-field-initializers)
