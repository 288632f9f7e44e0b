// CDR ids survive a process crash: a child process (this test binary, in a
// hidden test case) appends CDRs — one by one through cdr_store, or in
// group-committed batches through cdr_writer — and reports each durable id
// through a pipe; the parent SIGKILLs it mid-stream, reopens the database,
// and checks that every acknowledged record is there and that no id is
// handed out twice.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <catch2/catch.hpp>

#include "kv_fixtures.hpp"
#include "storage/cdr_store.hpp"
#include "storage/cdr_writer.hpp"
#include "storage/rocksdb_kv.hpp"
#include "temp_dir.hpp"

extern char** environ;

using namespace ringdown::storage;
using ringdown::storage::test::open_db;

namespace {

constexpr const char* dir_env = "RINGDOWN_CDR_CRASH_DIR";
constexpr const char* fd_env = "RINGDOWN_CDR_CRASH_FD";
constexpr int child_appends_max = 100'000;

/// Kills and reaps the child by PID on every path out of the test.
struct child_process {
  pid_t pid = -1;
  ~child_process() { stop(); }
  void stop() {
    if (pid <= 0)
      return;
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
  }
};

} // namespace

namespace {

/// The child's side: opens the database named in the environment and
/// returns it with the pipe to report durable ids on.
std::unique_ptr<kv> child_db(int& out) {
  const char* dir = std::getenv(dir_env);
  const char* fd = std::getenv(fd_env);
  REQUIRE(dir != nullptr);
  REQUIRE(fd != nullptr);
  out = std::atoi(fd);
  return open_db(dir);
}

void report(int out, std::uint64_t id) {
  const auto line = std::to_string(id) + "\n";
  REQUIRE(::write(out, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
}

cdr crash_record(int i) {
  cdr r;
  r.call_id = "crash-" + std::to_string(i);
  return r;
}

/// Starts this binary running the hidden test case `child_case`, reads the
/// ids it reports until `acked_min` arrived, SIGKILLs it, reopens the
/// database and checks that ids 1..(last acknowledged) are all there, in
/// submission order, and that the next id is new.
void crash_and_check(const std::string& child_case, std::size_t acked_min) {
  test::temp_dir dir;
  const auto db_path = dir.sub("db");
  { open_db(db_path); } // created before the child starts

  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const auto self = std::filesystem::read_symlink("/proc/self/exe").string();
  std::vector<std::string> env_strings{std::string(dir_env) + "=" + db_path,
                                       std::string(fd_env) + "=" + std::to_string(fds[1])};
  std::vector<char*> envp;
  envp.reserve(env_strings.size() + 64);
  for (auto& s : env_strings)
    envp.push_back(s.data());
  for (char** e = environ; *e != nullptr; ++e)
    envp.push_back(*e);
  envp.push_back(nullptr);
  std::string arg0 = self, arg1 = child_case;
  char* argv[] = {arg0.data(), arg1.data(), nullptr};

  child_process child;
  REQUIRE(::posix_spawn(&child.pid, self.c_str(), nullptr, nullptr, argv, envp.data()) ==
          0);
  ::close(fds[1]);

  // Read acknowledged ids until enough arrived (bounded: 300 polls of 100 ms).
  std::vector<std::uint64_t> acked;
  std::string pending;
  for (int polls = 0; polls < 300 && acked.size() < acked_min; ++polls) {
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0)
      continue;
    char buf[4096];
    const auto n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0)
      break; // the child died early: checked below
    pending.append(buf, static_cast<std::size_t>(n));
    for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
      acked.push_back(std::stoull(pending.substr(0, nl)));
      pending.erase(0, nl + 1);
    }
  }
  child.stop(); // SIGKILL mid-stream: no close, no flush
  ::close(fds[0]);
  REQUIRE(acked.size() >= acked_min);
  CHECK(std::is_sorted(acked.begin(), acked.end()));

  auto db = open_db(db_path);
  cdr_store store(*db);
  std::error_code ec;
  const auto last = store.last_id(ec);
  REQUIRE_FALSE(ec);
  CHECK(last >= acked.back());
  for (std::uint64_t id = 1; id <= acked.back(); ++id) {
    auto r = store.get(id, ec);
    REQUIRE(r.has_value());
    CHECK(r->call_id == "crash-" + std::to_string(id - 1));
  }
  const auto next = store.append(cdr{}, ec);
  REQUIRE_FALSE(ec);
  CHECK(next == last + 1);
  CHECK(next > acked.back());
}

} // namespace

// Run only in the children the tests below start (hidden: not in the listing).
TEST_CASE("cdr_store crash child", "[.][cdr-crash-child]") {
  int out = -1;
  auto db = child_db(out);
  cdr_store store(*db);
  for (int i = 0; i < child_appends_max; ++i) {
    std::error_code ec;
    const auto id = store.append(crash_record(i), ec);
    REQUIRE_FALSE(ec);
    report(out, id);
  }
}

TEST_CASE("cdr_writer crash child", "[.][cdr-crash-child]") {
  constexpr int per_flush = 50;
  int out = -1;
  auto db = child_db(out);
  cdr_store store(*db);
  cdr_writer writer(store, 1000);
  for (int i = 0; i < child_appends_max;) {
    for (const int end = i + per_flush; i < end; ++i)
      REQUIRE(writer.submit(crash_record(i)));
    writer.flush(); // every record so far is durable
    std::error_code ec;
    const auto last = store.last_id(ec);
    REQUIRE_FALSE(ec);
    report(out, last);
  }
}

TEST_CASE("cdr_store ids survive a SIGKILL of the writer", "[storage][cdr]") {
  crash_and_check("cdr_store crash child", 200);
}

TEST_CASE("cdr_writer group-committed ids survive a SIGKILL", "[storage][cdr]") {
  crash_and_check("cdr_writer crash child", 20);
}
