# Every third-party library comes from a Debian package (see .ci/run for the list).
find_package(PkgConfig REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(yaml-cpp REQUIRED)
# simdjson reads large tenant documents straight into the model (core/adopt.cpp).
find_package(simdjson REQUIRED)
# The static archive when the package ships one: no shared C++ library to relocate at start-up.
find_library(YAML_CPP_ARCHIVE NAMES libyaml-cpp.a)
if(YAML_CPP_ARCHIVE)
  add_library(csctl_yaml INTERFACE)
  target_link_libraries(csctl_yaml INTERFACE ${YAML_CPP_ARCHIVE})
  target_include_directories(csctl_yaml INTERFACE ${YAML_CPP_INCLUDE_DIR})
else()
  add_library(csctl_yaml ALIAS yaml-cpp)
endif()
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
# libphonenumber (Debian libphonenumber-dev) ships neither a CMake config nor a .pc file. Only the
# phone module (phone/) links it; core loads that module when a number needs parsing.
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
# The API: cpp-httplib (server, built with OpenSSL), libcurl (client), OpenSSL (TLS, SHA-256).
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
if(CSCTL_BUILD_TESTS)
  find_package(doctest REQUIRED)
endif()
if(CSCTL_BUILD_TESTS)
  # The completion and man page tests drive real shells and man page checkers.
  foreach(tool bash zsh fish mandoc groff sqlite3)
    find_program(CSCTL_${tool}_PROGRAM ${tool})
    if(NOT CSCTL_${tool}_PROGRAM)
      message(SEND_ERROR "${tool} is needed by the tests (tools/install-deps.sh installs it)")
    endif()
  endforeach()
  # The fuzz tests (tests/fuzz/) build with clang and libFuzzer (clang-14, libclang-rt-14-dev).
  find_program(CSCTL_FUZZ_CXX NAMES clang++-14 clang++)
  # The SBC test (tests/sbc) runs Kamailio and sipp (Debian kamailio, kamailio-json-modules,
  # kamailio-utils-modules, sip-tester).
  foreach(tool kamailio sipp)
    find_program(CSCTL_${tool}_PROGRAM ${tool} PATHS /usr/sbin /sbin)
    if(NOT CSCTL_${tool}_PROGRAM)
      message(SEND_ERROR "${tool} is needed by the tests (tools/install-deps.sh installs it)")
    endif()
  endforeach()
  if(NOT EXISTS /usr/share/bash-completion/bash_completion)
    message(SEND_ERROR "bash-completion is needed by the tests (tools/install-deps.sh installs it)")
  endif()
endif()
