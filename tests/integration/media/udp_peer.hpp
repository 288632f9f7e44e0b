#pragma once

#include <arpa/inet.h>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <netinet/in.h>
#include <optional>
#include <span>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace ringdown::test {

/// A phone's media socket on 127.0.0.1 for the media engine tests: sends
/// datagrams, waits for one with a deadline. Blocking POSIX socket, one
/// test thread.
class udp_peer {
public:
  udp_peer() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~udp_peer() { ::close(fd_); }
  udp_peer(const udp_peer&) = delete;
  udp_peer& operator=(const udp_peer&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

  void send_to(std::uint16_t port, std::span<const std::uint8_t> bytes) const {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }

  /// The next datagram, or nullopt when none arrives within `wait`.
  std::optional<std::vector<std::uint8_t>> receive(std::chrono::milliseconds wait) const {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(wait.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((wait.count() % 1000) * 1000);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::array<std::uint8_t, 2048> buf;
    const auto n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n < 0)
      return std::nullopt;
    return std::vector<std::uint8_t>(buf.begin(), buf.begin() + n);
  }

  /// Drops whatever is queued.
  void drain() const {
    while (receive(std::chrono::milliseconds{1})) {
    }
  }

private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

/// Power of `freq_hz` in `samples` at 8 kHz (Goertzel), normalised.
inline double goertzel(std::span<const std::int16_t> samples, double freq_hz) {
  const double k = 2.0 * std::cos(2.0 * 3.14159265358979 * freq_hz / 8000.0);
  double s1 = 0, s2 = 0;
  for (const auto x : samples) {
    const double s0 = x + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - k * s1 * s2;
  const double n = static_cast<double>(samples.size());
  return power / (n * n);
}

} // namespace ringdown::test
