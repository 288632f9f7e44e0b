# Third-party packages, all from Debian 12's archive (see README.md).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED CONFIG)
find_package(OpenSSL 3.0 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(tomlplusplus REQUIRED)
# libsrtp2 (SRTP/SRTCP) and spandsp (G.711 concealment, tone generation)
# come with pkg-config files only.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SRTP2 REQUIRED IMPORTED_TARGET libsrtp2)
pkg_check_modules(SPANDSP REQUIRED IMPORTED_TARGET spandsp)

if(RINGDOWN_TESTS)
  find_package(Catch2 2 REQUIRED)
  include(Catch)
endif()

# jemalloc for ringdownd: calls come and go by the thousand, and glibc's
# allocator keeps the holes they leave (8.6 KB of RSS per held call against
# 7.5 KB with jemalloc, tests/bench/call_cps.py). Sanitizers bring their own
# allocator.
if(RINGDOWN_JEMALLOC AND NOT RINGDOWN_SANITIZERS)
  find_library(RINGDOWN_JEMALLOC_LIB jemalloc REQUIRED)
endif()

# RocksDB: the shared library (the static archive drags in every codec).
find_package(RocksDB REQUIRED CONFIG)

# CAF 0.17.6 ships no CMake config: imported targets by hand. Only the
# three libraries used (libcaf_openmpi sits beside them).
find_path(RINGDOWN_CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
find_library(RINGDOWN_CAF_CORE_LIB caf_core REQUIRED)
find_library(RINGDOWN_CAF_IO_LIB caf_io REQUIRED)
find_library(RINGDOWN_CAF_OPENSSL_LIB caf_openssl REQUIRED)
if(NOT TARGET CAF::core)
  add_library(CAF::core UNKNOWN IMPORTED)
  set_target_properties(CAF::core PROPERTIES IMPORTED_LOCATION ${RINGDOWN_CAF_CORE_LIB}
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${RINGDOWN_CAF_INCLUDE_DIR}
    INTERFACE_LINK_LIBRARIES Threads::Threads)
  add_library(CAF::io UNKNOWN IMPORTED)
  set_target_properties(CAF::io PROPERTIES IMPORTED_LOCATION ${RINGDOWN_CAF_IO_LIB}
    INTERFACE_LINK_LIBRARIES CAF::core)
  add_library(CAF::openssl UNKNOWN IMPORTED)
  set_target_properties(CAF::openssl PROPERTIES IMPORTED_LOCATION ${RINGDOWN_CAF_OPENSSL_LIB}
    INTERFACE_LINK_LIBRARIES "CAF::io;OpenSSL::SSL")
endif()
