# Compiler settings shared by every target: warnings, sanitizers, ccache.
find_program(RINGDOWN_CCACHE ccache)
if(RINGDOWN_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${RINGDOWN_CCACHE})
endif()

add_library(ringdown_options INTERFACE)
target_compile_options(ringdown_options INTERFACE -Wall -Wextra -Wpedantic
  -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
  -Wimplicit-fallthrough)
if(RINGDOWN_WERROR)
  target_compile_options(ringdown_options INTERFACE -Werror)
endif()
target_include_directories(ringdown_options INTERFACE ${PROJECT_SOURCE_DIR})
target_compile_definitions(ringdown_options INTERFACE
  RINGDOWN_VERSION="${PROJECT_VERSION}")

if(RINGDOWN_SANITIZERS)
  string(REPLACE "," ";" _san_list "${RINGDOWN_SANITIZERS}")
  set(_san_flags "")
  foreach(_s IN LISTS _san_list)
    list(APPEND _san_flags "-fsanitize=${_s}")
  endforeach()
  list(APPEND _san_flags -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_compile_options(${_san_flags})
  add_link_options(${_san_flags})
endif()

# ringdown_module(NAME SOURCES... DEPS ...): one static library per folder.
function(ringdown_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${M_SOURCES})
  target_link_libraries(${name} PUBLIC ringdown_options ${M_DEPS})
endfunction()
