#pragma once

#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/provisioning.hpp"

namespace ringdown::config {

/// Keys whose value the walker refused (wrong type, out of range, missing):
/// `validate_provisioning` problems at or under them are not reported again.
using rejected_keys = std::set<std::string, std::less<>>;

/// Walks a parsed provisioning document against the layout
/// (provisioning_layout.hpp): fills `out` with every value of the right
/// type and range and appends a problem, with its line, for every unknown
/// key, wrong type, out-of-range integer, unknown enum name or missing
/// required key. Values are checked further by `validate_provisioning`.
void walk_provisioning(const toml::table& doc, provisioning& out,
                       std::vector<problem>& problems, rejected_keys& rejected);

} // namespace ringdown::config
