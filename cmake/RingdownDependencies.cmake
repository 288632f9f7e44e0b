# Third-party packages, all from Debian 12's archive (see README.md).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED CONFIG)
find_package(OpenSSL 3.0 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(tomlplusplus REQUIRED)

if(RINGDOWN_TESTS)
  find_package(Catch2 2 REQUIRED)
  include(Catch)
endif()
