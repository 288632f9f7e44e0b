// The RTP sockets of a mixing bridge: out of the reactor, read on ticks.
//
// A mixing bridge plays a leg's audio only on its 20 ms ticks, so waking
// the thread for every packet (an epoll event, an Asio operation and a
// speculative read that fails) buys nothing. Each tick reads every socket
// dry with recvmmsg instead (one system call per leg per tick in steady
// state) and stamps each packet with the kernel's arrival time
// (SO_TIMESTAMPNS), so the jitter buffer and the RTP statistics see the
// same arrival times as when every packet woke the thread.
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <netinet/in.h>
#include <sys/socket.h>

#include "base/logging.hpp"
#include "net/rtp/media_bridge.hpp"

namespace ringdown::rtp {

namespace {

spdlog::logger& log() {
  static const auto lg = log::get("media");
  return *lg;
}

/// Datagrams one recvmmsg takes; a leg normally has one per tick, two or
/// three after jitter. A full batch means another read.
constexpr unsigned rx_batch_max = 4;
constexpr std::size_t rx_buffer_bytes = datagram_bytes_max + srtp_overhead_max;

/// One media thread's receive buffers (a strand handler runs on one thread
/// from start to end, so nothing is shared while in use). Allocated once
/// per thread, never per tick.
struct rx_batch {
  rx_batch() {
    for (unsigned i = 0; i < rx_batch_max; ++i) {
      iov[i].iov_base = data[i].data();
      iov[i].iov_len = datagram_bytes_max;
    }
  }
  void prepare() noexcept {
    for (unsigned i = 0; i < rx_batch_max; ++i) {
      msghdr& h = headers[i].msg_hdr;
      h = msghdr{};
      h.msg_name = &from[i];
      h.msg_namelen = sizeof(sockaddr_storage);
      h.msg_iov = &iov[i];
      h.msg_iovlen = 1;
      h.msg_control = control[i].data();
      h.msg_controllen = control[i].size();
      headers[i].msg_len = 0;
    }
  }
  std::array<std::array<std::uint8_t, rx_buffer_bytes>, rx_batch_max> data{};
  std::array<iovec, rx_batch_max> iov{};
  std::array<sockaddr_storage, rx_batch_max> from{};
  std::array<std::array<char, CMSG_SPACE(sizeof(timespec))>, rx_batch_max> control{};
  std::array<mmsghdr, rx_batch_max> headers{};
};

/// How long ago the kernel received the datagram of `h` (zero without a
/// timestamp); both readings are of CLOCK_REALTIME, only their difference
/// is used.
duration age_of(msghdr& h, const timespec& real_now) noexcept {
  for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS)
      continue;
    timespec at{};
    std::memcpy(&at, CMSG_DATA(c), sizeof at);
    const auto age = std::chrono::seconds{real_now.tv_sec - at.tv_sec} +
                     std::chrono::nanoseconds{real_now.tv_nsec - at.tv_nsec};
    return age > duration::zero() ? duration{age} : duration::zero();
  }
  return duration::zero();
}

} // namespace

void media_bridge::set_polled(const std::shared_ptr<media_leg>& l, bool polled) {
  if (l->removed)
    return;
  boost::system::error_code ec;
  if (polled && l->polled_fd < 0 && l->rtp.is_open()) {
    l->rtp_protocol = l->rtp.local_endpoint(ec).protocol();
    const int fd = l->rtp.release(ec); // a pending receive completes as aborted
    if (ec) {
      log().warn("bridge {} leg {}: RTP socket stays with the reactor: {}", id_, l->index,
                 ec.message());
      return;
    }
    const int on = 1;
    if (::setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) != 0)
      log().warn("bridge {} leg {}: no kernel arrival times ({}): arrivals are taken "
                 "at the tick",
                 id_, l->index, std::strerror(errno));
    l->polled_fd = fd;
  } else if (!polled && l->polled_fd >= 0) {
    const int fd = l->polled_fd;
    l->polled_fd = -1;
    l->rtp.assign(l->rtp_protocol, fd, ec);
    if (ec) {
      log().warn("bridge {} leg {}: RTP socket not back in the reactor: {}", id_, l->index,
                 ec.message());
      ::close(fd);
      return;
    }
    if (!l->receiving)
      receive_rtp(l);
  }
}

void media_bridge::read_polled(time_point now) {
  thread_local rx_batch batch;
  timespec real_now{};
  ::clock_gettime(CLOCK_REALTIME, &real_now);
  udp::endpoint from;
  for (std::size_t k = 0; k < legs_.size(); ++k) {
    media_leg& l = *legs_[k];
    for (;;) {
      if (l.polled_fd < 0 || l.removed)
        break;
      batch.prepare();
      const int n = ::recvmmsg(l.polled_fd, batch.headers.data(), rx_batch_max,
                               MSG_DONTWAIT, nullptr);
      if (n <= 0)
        break; // nothing more (EAGAIN), or an ICMP error: the next tick tries again
      for (unsigned i = 0; i < static_cast<unsigned>(n); ++i) {
        msghdr& h = batch.headers[i].msg_hdr;
        const std::size_t size =
            std::min<std::size_t>(batch.headers[i].msg_len, datagram_bytes_max);
        if (h.msg_namelen > from.capacity())
          continue;
        std::memcpy(from.data(), &batch.from[i], h.msg_namelen);
        from.resize(h.msg_namelen);
        on_rtp(l, batch.data[i].data(), size, from, now - age_of(h, real_now));
      }
      if (static_cast<unsigned>(n) < rx_batch_max)
        break;
    }
  }
}

} // namespace ringdown::rtp
