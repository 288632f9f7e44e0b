#include <catch2/catch.hpp>

#include "actors/registrar/nonce_manager.hpp"

using namespace ringdown;
using namespace ringdown::registrar;
using namespace std::chrono_literals;

TEST_CASE("nonce base64url round trip", "[registrar][nonce]") {
  for (std::size_t n = 0; n < 10; ++n) {
    std::string in;
    for (std::size_t i = 0; i < n; ++i)
      in.push_back(static_cast<char>(0xf0 + i));
    std::string out;
    const auto text = base64url_encode(in);
    CHECK(text.find_first_of("+/=") == std::string::npos);
    REQUIRE(base64url_decode(text, out));
    CHECK(out == in);
  }
  std::string out;
  CHECK_FALSE(base64url_decode("ab+c", out));
  CHECK_FALSE(base64url_decode("abcde", out));
}

TEST_CASE("nonce issued is verified and expires", "[registrar][nonce]") {
  manual_clock clk;
  rng gen{7};
  nonce_manager nm{gen, 300'000, 100};
  const auto n = nm.issue(clk.now());
  CHECK(n.size() == 64);
  CHECK(nm.verify(n, clk.now()) == nonce_status::ok);
  clk.advance(299s);
  CHECK(nm.verify(n, clk.now()) == nonce_status::ok);
  clk.advance(1s);
  CHECK(nm.verify(n, clk.now()) == nonce_status::stale);
  CHECK(nm.check_and_count(n, 1, clk.now()) == nonce_status::stale);
}

TEST_CASE("nonce forged or from another secret is invalid", "[registrar][nonce]") {
  manual_clock clk;
  rng gen_a{1}, gen_b{2};
  nonce_manager a{gen_a}, b{gen_b};
  const auto n = a.issue(clk.now());
  CHECK(b.verify(n, clk.now()) == nonce_status::invalid);
  // The secret does not come from the rng: knowing (or reproducing) the rng
  // a node's nonces show does not let anyone mint them.
  rng same_a{1}, same_b{1};
  nonce_manager c{same_a}, d{same_b};
  CHECK(d.verify(c.issue(clk.now()), clk.now()) == nonce_status::invalid);
  std::string tampered = n;
  tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
  CHECK(a.verify(tampered, clk.now()) == nonce_status::invalid);
  CHECK(a.verify("not-a-nonce", clk.now()) == nonce_status::invalid);
  CHECK(a.verify("", clk.now()) == nonce_status::invalid);
}

TEST_CASE("nonce count must strictly increase", "[registrar][nonce]") {
  manual_clock clk;
  rng gen{3};
  nonce_manager nm{gen};
  const auto n = nm.issue(clk.now());
  CHECK(nm.check_and_count(n, 1, clk.now()) == nonce_status::ok);
  CHECK(nm.check_and_count(n, 1, clk.now()) == nonce_status::replay);
  CHECK(nm.check_and_count(n, 3, clk.now()) == nonce_status::ok);
  CHECK(nm.check_and_count(n, 2, clk.now()) == nonce_status::replay);
  CHECK(nm.check_and_count(n, 4, clk.now()) == nonce_status::ok);
}

TEST_CASE("nonce table is bounded and evicts the oldest", "[registrar][nonce]") {
  manual_clock clk;
  rng gen{4};
  nonce_manager nm{gen, 300'000, 3};
  const auto first = nm.issue(clk.now());
  std::string last;
  for (int i = 0; i < 5; ++i) {
    clk.advance(1ms);
    last = nm.issue(clk.now());
  }
  CHECK(nm.tracked() == 3);
  CHECK(nm.verify(first, clk.now()) == nonce_status::ok);
  CHECK(nm.check_and_count(first, 1, clk.now()) == nonce_status::stale);
  CHECK(nm.check_and_count(last, 1, clk.now()) == nonce_status::ok);
  clk.advance(301s);
  (void)nm.issue(clk.now()); // expired entries are dropped on issue
  CHECK(nm.tracked() == 1);
}
