#pragma once

#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/loader.hpp"

namespace ringdown::config {

/// Keys whose value in a file was rejected (wrong type, out of range): the
/// config still holds their defaults, so checks involving them are skipped.
using key_set = std::set<std::string, std::less<>>;

/// `validate` with the checks that involve a key of `rejected` skipped, so a
/// rejected value does not also produce a misleading cross-field problem.
void validate_except(const node_config& cfg, const key_set& rejected,
                     std::vector<problem>& problems);

/// What is wrong with the PEM file at `path` ("" when it is readable and
/// holds a `-----BEGIN ` line).
std::string check_pem_file(const std::string& path);

} // namespace ringdown::config
