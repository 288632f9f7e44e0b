#!/bin/sh
# Catch2 v2's test discovery (catch_discover_tests) cuts a test's name at
# ';', a CMake list separator: ctest would then run a filter that matches
# nothing and report it passed. Fails, naming them, when a TEST_CASE name
# (string literals joined across lines included) holds a ';'.
dir=${1:-$(dirname "$0")}
found=$(find "$dir" -name '*.cpp' -print0 | xargs -0 perl -0ne '
  while (/TEST_CASE\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)/g) {
    my $name = $1;
    print "$ARGV: $name\n" if $name =~ /;/;
  }')
if [ -n "$found" ]; then
  echo "test names with ';' (ctest would not run them):"
  echo "$found"
  exit 1
fi
echo "no test name holds ';'"
