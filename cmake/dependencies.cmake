# Every third-party library comes from a Debian package (see .ci/run for the list).
find_package(PkgConfig REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(Threads REQUIRED)
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
# SQLite and PCRE2 from their static archives too when the packages ship them (libsqlite3-dev and
# libpcre2-dev do): `csctl` then loads only libc and libm, and a read command starts about 0.3 ms
# sooner (2.5-2.7 ms -> 2.2 ms for `user get`; bench/README.md). SQLiteCpp names SQLite::SQLite3
# (CMake's FindSQLite3), which is pointed at the archive here.
find_library(SQLITE3_ARCHIVE NAMES libsqlite3.a)
if(SQLITE3_ARCHIVE AND TARGET SQLite::SQLite3)
  set_target_properties(SQLite::SQLite3 PROPERTIES IMPORTED_LOCATION ${SQLITE3_ARCHIVE})
  set_property(TARGET SQLite::SQLite3 APPEND PROPERTY INTERFACE_LINK_LIBRARIES m ${CMAKE_DL_LIBS} Threads::Threads)
endif()
find_library(PCRE2_ARCHIVE NAMES libpcre2-8.a)
if(PCRE2_ARCHIVE)
  set_target_properties(PkgConfig::PCRE2 PROPERTIES INTERFACE_LINK_LIBRARIES ${PCRE2_ARCHIVE} INTERFACE_LINK_DIRECTORIES "")
endif()
# libphonenumber (Debian libphonenumber-dev) ships neither a CMake config nor a .pc file. Only the
# phone module (phone/) links it; core loads that module when a number needs parsing.
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
# The API: cpp-httplib (server, built with OpenSSL), libcurl (client), OpenSSL (TLS, SHA-256).
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
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
