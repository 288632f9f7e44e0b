#include <arpa/inet.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "tests/integration/http/http_fixture.hpp"

namespace ringdown::http::test {

client::client(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0)
    return;
  timeval tv{5, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    close();
}

client::~client() {
  close();
}

void client::close() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

bool client::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string client::reply::header(std::string_view name) const {
  std::string needle = "\r\n";
  needle += name;
  needle += ": ";
  const auto at = head.find(needle);
  if (at == std::string::npos)
    return {};
  const auto start = at + needle.size();
  return head.substr(start, head.find("\r\n", start) - start);
}

client::reply client::read_reply() {
  reply out;
  char chunk[4096];
  auto fill = [&] {
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0)
      return false;
    pending_.append(chunk, static_cast<std::size_t>(n));
    return true;
  };
  std::size_t end = 0;
  while ((end = pending_.find("\r\n\r\n")) == std::string::npos)
    if (!fill())
      return out;
  out.head = pending_.substr(0, end + 2);
  pending_.erase(0, end + 4);
  std::size_t length = 0;
  const auto cl = out.header("Content-Length");
  std::from_chars(cl.data(), cl.data() + cl.size(), length);
  while (pending_.size() < length)
    if (!fill())
      return out;
  out.body = pending_.substr(0, length);
  pending_.erase(0, length);
  if (out.head.starts_with("HTTP/1.1 ") && out.head.size() >= 12)
    std::from_chars(out.head.data() + 9, out.head.data() + 12, out.status);
  return out;
}

bool client::closed_by_server() {
  char c = 0;
  const auto n = ::recv(fd_, &c, 1, 0);
  return pending_.empty() && (n == 0 || (n < 0 && errno == ECONNRESET));
}

} // namespace ringdown::http::test
