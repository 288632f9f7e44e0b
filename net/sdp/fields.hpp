#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "net/sdp/session.hpp"

/// Parsers and writers of single SDP line values (the text after `x=`),
/// internal to net/sdp. A parser returns an empty view on success, else a
/// static text saying what is wrong; `value` has no trailing blanks.
namespace ringdown::sdp::fields {

std::string_view parse_origin(std::string_view value, origin& out);
std::string_view parse_connection(std::string_view value, connection& out);
std::string_view parse_bandwidth(std::string_view value, bandwidth& out);
std::string_view parse_timing(std::string_view value, timing& out);
std::string_view parse_repeat(std::string_view value, std::vector<std::string>& out);
std::string_view parse_zones(std::string_view value, std::vector<std::string>& out);
std::string_view parse_attribute(std::string_view value, attribute& out);
std::string_view parse_media(std::string_view value, std::size_t formats_max, media& out);

void write_origin(const origin& o, std::string& out);
void write_connection(const connection& c, std::string& out);
void write_bandwidth(const bandwidth& b, std::string& out);
void write_attribute(const attribute& a, std::string& out);
void write_media_line(const media& m, std::string& out);

} // namespace ringdown::sdp::fields
