// Legs moving between bridges, and the music-on-hold bridge's ticks.
//
// A held party leaves its call's bridge for the node's music-on-hold
// bridge and comes back on resume (ARCHITECTURE.md §3). The move hands the
// leg's sockets over as they are: the peer keeps sending to the same port,
// and our stream to it keeps its SSRC and runs on in sequence and
// timestamp, so phones and carriers see one unbroken stream.
#include <algorithm>
#include <unistd.h>

#include "base/logging.hpp"
#include "net/rtp/g711.hpp"
#include "net/rtp/media_bridge.hpp"
#include "net/rtp/rtp_packet.hpp"

namespace ringdown::rtp {

namespace {

spdlog::logger& log() {
  static const auto lg = log::get("media");
  return *lg;
}

/// The socket's descriptor, out of the reactor (a pending receive
/// completes as aborted), and its protocol; -1 when closed.
int release_socket(udp::socket& s, udp& protocol) {
  if (!s.is_open())
    return -1;
  boost::system::error_code ec;
  protocol = s.local_endpoint(ec).protocol();
  const int fd = s.release(ec);
  return ec ? -1 : fd;
}

/// A socket of `io` over `fd` (closed when that fails).
udp::socket adopt_socket(asio::io_context& io, const udp& protocol, int fd) {
  udp::socket s(io);
  if (fd < 0)
    return s;
  boost::system::error_code ec;
  s.assign(protocol, fd, ec);
  if (ec) {
    log().warn("media: a moved socket could not be adopted: {}", ec.message());
    ::close(fd);
  }
  return s;
}

} // namespace

std::shared_ptr<media_leg> media_bridge::detach_leg(leg_index idx, leg_index as) {
  const auto it = std::find_if(legs_.begin(), legs_.end(),
                               [idx](const auto& l) { return l->index == idx; });
  if (it == legs_.end())
    return nullptr;
  media_leg& l = **it;
  udp rtp_protocol = l.rtp_protocol;
  int rtp_fd = l.polled_fd; // a mixing bridge holds it out of the reactor
  l.polled_fd = -1;
  if (rtp_fd < 0)
    rtp_fd = release_socket(l.rtp, rtp_protocol);
  udp rtcp_protocol = udp::v4();
  const int rtcp_fd = release_socket(l.rtcp, rtcp_protocol);
  auto moved = std::make_shared<media_leg>(
      io_, as, std::move(l.port), adopt_socket(io_, rtp_protocol, rtp_fd),
      adopt_socket(io_, rtcp_protocol, rtcp_fd), l.jitter_settings, l.out_ssrc);
  media_leg& m = *moved;
  m.rtp_protocol = rtp_protocol;
  m.spec = std::move(l.spec);
  m.configured = l.configured;
  m.latched = l.latched;
  m.remote_rtp = l.remote_rtp;
  m.remote_rtcp = l.remote_rtcp;
  m.srtp_in = std::move(l.srtp_in);
  m.srtp_out = std::move(l.srtp_out);
  m.received = l.received;
  m.sent = l.sent;
  m.rtt_ms = l.rtt_ms;
  m.dtmf_in = l.dtmf_in;
  m.out_seq = l.out_seq;
  m.out_timestamp = l.out_timestamp;
  m.in_ssrc = l.in_ssrc;
  m.last_sr_ntp_middle = l.last_sr_ntp_middle;
  m.last_sr_at = l.last_sr_at;
  m.last_rx = l.last_rx;
  m.last_rtcp_tx = l.last_rtcp_tx;
  m.timed_out = l.timed_out;
  // Digit collection, tones and digits being sent belong to the bridge the
  // leg leaves; the new bridge starts them afresh if it wants them.
  unlist(it);
  log().debug("bridge {} leg {}: leaves (as leg {} of another bridge)", id_, idx, as);
  update_mode();
  return moved;
}

void media_bridge::music_tick() {
  frame pcm;
  music_->render(pcm);
  if (music_->finished())
    music_->restart(); // music on hold goes on as long as anyone listens
  std::array<std::uint8_t, frame_samples> ulaw;
  std::array<std::uint8_t, frame_samples> alaw;
  bool have_ulaw = false;
  bool have_alaw = false;
  for (auto& lp : legs_) {
    media_leg& l = *lp;
    if (!l.configured || l.remote_rtp.port() == 0)
      continue;
    const bool a = l.spec.audio == codec::pcma;
    auto& payload = a ? alaw : ulaw;
    bool& have = a ? have_alaw : have_ulaw;
    if (!have) {
      encode(l.spec.audio, pcm, payload);
      have = true;
    }
    rtp_header h;
    h.payload_type = l.spec.audio_payload_type;
    h.sequence = static_cast<std::uint16_t>(l.out_seq + 1);
    h.timestamp = l.out_timestamp + frame_samples;
    h.ssrc = l.out_ssrc;
    send_rtp(l, h, payload);
  }
}

} // namespace ringdown::rtp
