# Warnings for every target of ours: csctl_warnings is linked privately by each of them.
# (-Wnull-dereference is left out: at -O2 GCC 12 reports it inside libstdc++ and CLI11 code
# inlined into ours, where no null pointer exists.)
add_library(csctl_warnings INTERFACE)
target_compile_options(csctl_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
  -Wimplicit-fallthrough -Wno-missing-field-initializers)
