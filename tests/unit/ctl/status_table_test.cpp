#include <string>

#include <catch2/catch.hpp>

#include "apps/ringdownctl/commands.hpp"

using namespace ringdown;

TEST_CASE("status_table lines the members up under their columns", "[ctl]") {
  http::node_status st;
  st.self = "node-1";
  st.live_calls = 7;
  st.members.push_back({"node-1", "london", "alive", 3, "127.0.0.11:5060",
                        "127.0.0.11:7946", "127.0.0.11:8080", ""});
  st.members.push_back({"node-22", "ny", "draining", 12, "127.0.0.12:5060", "", "", ""});
  st.owned_keys = {{"line", 3}, {"dialog", 0}};
  CHECK(ctl::status_table(st, "127.0.0.11:8080") ==
        "answered by node-1 (127.0.0.11:8080): draining no, 7 live calls\n"
        "ID       ZONE    STATE     INCARNATION  SIP              CLUSTER          ADMIN\n"
        "node-1   london  alive     3            127.0.0.11:5060  127.0.0.11:7946  "
        "127.0.0.11:8080\n"
        "node-22  ny      draining  12           127.0.0.12:5060\n"
        "owned keys on node-1: line 3, dialog 0\n");
}

TEST_CASE("status_table says when a node owns no keys", "[ctl]") {
  http::node_status st;
  st.self = "node-1";
  st.draining = true;
  const auto table = ctl::status_table(st, "127.0.0.1:8080");
  CHECK(table.find("draining yes") != std::string::npos);
  CHECK(table.ends_with("owned keys on node-1: none\n"));
}
