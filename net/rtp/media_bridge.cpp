#include "net/rtp/media_bridge.hpp"

#include <algorithm>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include "base/logging.hpp"
#include "net/rtp/g711.hpp"
#include "net/rtp/rtcp.hpp"
#include "net/rtp/rtp_packet.hpp"

namespace ringdown::rtp {

namespace {

spdlog::logger& log() {
  static const auto lg = log::get("media");
  return *lg;
}

void bump(std::atomic<std::uint64_t>& c) {
  c.fetch_add(1, std::memory_order_relaxed);
}

} // namespace

media_leg::media_leg(asio::io_context& io, leg_index idx, port_lease lease,
                     udp::socket rtp_socket, udp::socket rtcp_socket,
                     const jitter_config& jb, std::uint32_t ssrc)
    : index(idx), port(std::move(lease)), rtp(std::move(rtp_socket)),
      rtcp(std::move(rtcp_socket)), jitter_settings(jb), out_ssrc(ssrc),
      out_seq(static_cast<std::uint16_t>(ssrc >> 7)), out_timestamp(ssrc * 2654435761U) {
  (void)io;
}

media_leg::~media_leg() {
  if (polled_fd >= 0)
    ::close(polled_fd);
}

media_bridge::media_bridge(asio::io_context& io, bridge_id id,
                           const media_engine_config& cfg, const clock& clk,
                           media_counters& counters, media_engine::event_sink sink,
                           std::optional<tone_spec> music)
    : io_(io), strand_(asio::make_strand(io)), timer_(strand_), id_(id), cfg_(cfg),
      clock_(clk), counters_(counters), sink_(std::move(sink)) {
  if (music && valid(*music))
    music_.emplace(*music);
  else if (music)
    log().warn("bridge {}: music '{}' cannot be played; the bridge is silent", id_,
               music->name);
}

void media_bridge::add_leg(std::shared_ptr<media_leg> leg) {
  if (closed_)
    return;
  if (find(leg->index) != nullptr) {
    log().warn("bridge {} leg {} added twice; the second is dropped", id_, leg->index);
    return;
  }
  legs_.push_back(leg);
  bump(counters_.legs);
  if (music_)
    bump(counters_.music_legs);
  receive_rtp(leg);
  if (leg->rtcp.is_open())
    receive_rtcp(leg);
  update_mode();
}

void media_bridge::configure_leg(leg_index idx, leg_spec spec) {
  media_leg* l = find(idx);
  if (l == nullptr)
    return;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(spec.remote_address, ec);
  if (ec) {
    log().warn("bridge {} leg {}: remote address '{}' is not an IP address", id_, idx,
               spec.remote_address);
    return;
  }
  const bool moved = !l->configured || spec.remote_address != l->spec.remote_address ||
                     spec.remote_port != l->spec.remote_port;
  if (moved) {
    l->remote_rtp = udp::endpoint{address, spec.remote_port};
    l->remote_rtcp = udp::endpoint{
        address, static_cast<std::uint16_t>(spec.rtcp_mux ? spec.remote_port
                                                          : spec.remote_port + 1)};
    l->latched = false;
  }
  const bool rekey =
      spec.srtp.has_value() != l->spec.srtp.has_value() ||
      (spec.srtp && (spec.srtp->inbound_key_salt != l->spec.srtp->inbound_key_salt ||
                     spec.srtp->outbound_key_salt != l->spec.srtp->outbound_key_salt));
  if (rekey || !l->configured) {
    l->srtp_in.reset();
    l->srtp_out.reset();
    if (spec.srtp) {
      const auto suite = srtp_suite_from_name(spec.srtp->suite);
      std::string error;
      if (suite) {
        l->srtp_in = srtp_session::create(*suite, spec.srtp->inbound_key_salt,
                                          srtp_direction::inbound, &error);
        if (l->srtp_in)
          l->srtp_out = srtp_session::create(*suite, spec.srtp->outbound_key_salt,
                                             srtp_direction::outbound, &error);
      }
      if (!l->srtp_in || !l->srtp_out) {
        log().warn("bridge {} leg {}: SRTP not set up ({}): the leg stays silent", id_, idx,
                   suite ? error : "unknown suite " + spec.srtp->suite);
        l->srtp_in.reset();
        l->srtp_out.reset();
      }
    }
  }
  l->spec = std::move(spec);
  l->configured = !l->spec.srtp || l->srtp_in.has_value();
  l->last_rx = clock_.now();
  l->have_offset = false;
  update_mode();
}

void media_bridge::remove_leg(leg_index idx) {
  const auto it = std::find_if(legs_.begin(), legs_.end(),
                               [idx](const auto& l) { return l->index == idx; });
  if (it == legs_.end())
    return;
  auto& l = **it;
  media_event e;
  e.what = media_event::kind::leg_stats;
  e.leg = idx;
  e.quality = quality_of(l);
  boost::system::error_code ec;
  l.rtp.close(ec);
  l.rtcp.close(ec);
  if (l.polled_fd >= 0) {
    ::close(l.polled_fd);
    l.polled_fd = -1;
  }
  l.port.release(); // before leg_stats: whoever waits for it may reuse the port
  unlist(it);
  emit(std::move(e));
  update_mode();
}

void media_bridge::unlist(std::vector<std::shared_ptr<media_leg>>::iterator it) {
  (*it)->removed = true;
  legs_.erase(it);
  counters_.legs.fetch_sub(1, std::memory_order_relaxed);
  if (music_)
    counters_.music_legs.fetch_sub(1, std::memory_order_relaxed);
  for (auto& other : legs_)
    other->have_offset = false;
}

std::vector<std::pair<leg_index, leg_quality>> media_bridge::close() {
  std::vector<std::pair<leg_index, leg_quality>> figures;
  if (closed_)
    return figures;
  for (const auto& l : legs_)
    figures.emplace_back(l->index, quality_of(*l));
  while (!legs_.empty())
    remove_leg(legs_.front()->index);
  closed_ = true;
  timer_.cancel();
  return figures;
}

media_leg* media_bridge::find(leg_index idx) noexcept {
  for (auto& l : legs_)
    if (l->index == idx)
      return l.get();
  return nullptr;
}

media_leg* media_bridge::peer_of(const media_leg& l) noexcept {
  for (auto& o : legs_)
    if (o.get() != &l)
      return o.get();
  return nullptr;
}

void media_bridge::emit(media_event e) {
  e.bridge = id_;
  if (sink_)
    sink_(e);
}

void media_bridge::update_mode() {
  std::size_t talking = 0;
  bool extra = false;
  for (const auto& l : legs_) {
    talking += l->configured ? 1 : 0;
    extra = extra || l->tone.has_value() || l->spec.held || l->dtmf_out.active();
  }
  // A music bridge sends on ticks while anyone listens; it needs no jitter
  // buffers (what its legs send is not played).
  const bool mix =
      music_ ? !legs_.empty()
             : talking >= 3 || extra || (talking == 1 && legs_.size() == 1 && extra);
  if (mix != mixing_) {
    mixing_ = mix;
    for (auto& l : legs_) {
      l->have_offset = false;
      l->mix.reset(); // a fresh jitter buffer when mixing starts again
    }
    log().debug("bridge {}: {} ({} legs)", id_, mix ? "mixing" : "forwarding",
                legs_.size());
  }
  for (auto& l : legs_) {
    if (mixing_ && !l->mix && !music_)
      l->mix = std::make_unique<mix_state>(l->jitter_settings);
    set_polled(l, mixing_);
  }
  arm_tick();
}

void media_bridge::receive_rtp(const std::shared_ptr<media_leg>& l) {
  l->receiving = true;
  l->rtp.async_receive_from(
      asio::buffer(l->rx_rtp.data(), datagram_bytes_max), l->from_rtp,
      asio::bind_executor(strand_, [self = shared_from_this(),
                                    l](const boost::system::error_code& ec, std::size_t n) {
        l->receiving = false;
        if (l->removed || self->closed_)
          return;
        if (!ec)
          self->on_rtp(*l, l->rx_rtp.data(), n, l->from_rtp, self->clock_.now());
        // Aborted: the socket went to the ticks (and may be back by now).
        if (l->polled_fd < 0)
          self->receive_rtp(l);
      }));
}

void media_bridge::receive_rtcp(const std::shared_ptr<media_leg>& l) {
  l->rtcp.async_receive_from(
      asio::buffer(l->rx_rtcp.data(), datagram_bytes_max), l->from_rtcp,
      asio::bind_executor(strand_, [self = shared_from_this(),
                                    l](const boost::system::error_code& ec, std::size_t n) {
        if (l->removed || self->closed_)
          return;
        if (!ec)
          self->on_rtcp(*l, l->rx_rtcp.data(), n);
        else if (ec == asio::error::operation_aborted)
          return;
        self->receive_rtcp(l);
      }));
}

bool media_bridge::accept_source(media_leg& l, const udp::endpoint& from) {
  if (from == l.remote_rtp)
    return true;
  if (l.spec.symmetric && !l.latched) {
    // RFC 4961: the peer sends from where it receives; behind a NAT that is
    // not what its SDP said. Latch once, after the packet authenticated.
    l.remote_rtp = from;
    if (!l.spec.rtcp_mux)
      l.remote_rtcp =
          udp::endpoint{from.address(), static_cast<std::uint16_t>(from.port() + 1)};
    else
      l.remote_rtcp = from;
    l.latched = true;
    media_event e;
    e.what = media_event::kind::latched;
    e.leg = l.index;
    emit(std::move(e));
    return true;
  }
  if (!l.spec.symmetric)
    return true;
  bump(counters_.foreign_source);
  return false;
}

void media_bridge::on_rtp(media_leg& l, std::uint8_t* data, std::size_t size,
                          const udp::endpoint& from, time_point arrival) {
  bump(counters_.packets_in);
  if (l.spec.rtcp_mux && is_rtcp({data, size})) {
    on_rtcp(l, data, size);
    return;
  }
  if (!l.configured)
    return;
  std::size_t length = size;
  if (l.srtp_in && !l.srtp_in->unprotect_rtp({data, l.rx_rtp.size()}, length)) {
    bump(l.srtp_in->last_failure() == srtp_failure::replay ? counters_.srtp_replay_failures
                                                           : counters_.srtp_auth_failures);
    return;
  }
  const auto v = parse_rtp({data, length});
  if (!v) {
    bump(counters_.malformed_rtp);
    return;
  }
  if (!accept_source(l, from))
    return;
  const time_point now = arrival;
  l.last_rx = now;
  l.timed_out = false;
  if (v->header.ssrc != l.in_ssrc) {
    l.in_ssrc = v->header.ssrc;
    l.have_offset = false;
  }
  l.received.on_packet(v->header, now);
  if (l.spec.event_payload_type != 0 &&
      v->header.payload_type == l.spec.event_payload_type) {
    on_event(l, *v);
    return;
  }
  if (v->header.payload_type != l.spec.audio_payload_type)
    return; // comfort noise and codecs not negotiated: not ours to play
  if (music_)
    return; // counted above; a held party is not heard
  if (mixing_) {
    (void)l.mix->jitter.push(v->header.sequence, v->header.timestamp, v->payload, now,
                             v->header.marker);
    return;
  }
  forward(l, *v, false);
}

void media_bridge::on_event(media_leg& l, const rtp_view& v) {
  const auto ev = parse_telephone_event(v.payload);
  if (!ev)
    return;
  if (const auto d = l.dtmf_in.feed(v.header, *ev); d && d->digit != 0) {
    if (l.collecting)
      l.swallowed_event = v.header.timestamp;
    digit_received(l, d->digit, clock_.now());
  }
  if (l.collecting || l.swallowed_event == v.header.timestamp || mixing_)
    return;
  forward(l, v, true);
}

void media_bridge::forward(media_leg& from, const rtp_view& v, bool event) {
  media_leg* to = peer_of(from);
  if (to == nullptr || !to->configured || to->remote_rtp.port() == 0)
    return;
  if (event && to->spec.event_payload_type == 0)
    return;
  if (!from.have_offset) {
    from.seq_offset = static_cast<std::uint16_t>(to->out_seq + 1 - v.header.sequence);
    from.timestamp_offset = to->out_timestamp + frame_samples - v.header.timestamp;
    from.have_offset = true;
  }
  rtp_header h;
  h.ssrc = to->out_ssrc;
  h.marker = v.header.marker;
  h.sequence = static_cast<std::uint16_t>(v.header.sequence + from.seq_offset);
  h.timestamp = v.header.timestamp + from.timestamp_offset;
  h.payload_type = event ? to->spec.event_payload_type : to->spec.audio_payload_type;
  if (event || from.spec.audio == to->spec.audio) {
    send_rtp(*to, h, v.payload);
    return;
  }
  std::array<std::uint8_t, datagram_bytes_max> converted;
  const std::size_t n = std::min(v.payload.size(), converted.size());
  transcode(from.spec.audio, to->spec.audio, v.payload.first(n), {converted.data(), n});
  send_rtp(*to, h, {converted.data(), n});
}

void media_bridge::send_rtp(media_leg& to, const rtp_header& h,
                            std::span<const std::uint8_t> payload) {
  const std::size_t head = write_rtp_header(h, tx_);
  if (head == 0 || head + payload.size() > datagram_bytes_max)
    return;
  std::copy(payload.begin(), payload.end(),
            tx_.begin() + static_cast<std::ptrdiff_t>(head));
  // Sequence numbers and timestamps only move forward on our stream.
  if (static_cast<std::int16_t>(h.sequence - to.out_seq) > 0)
    to.out_seq = h.sequence;
  if (static_cast<std::int32_t>(h.timestamp - to.out_timestamp) > 0)
    to.out_timestamp = h.timestamp;
  to.sent.on_sent(h.timestamp, payload.size(), clock_.now());
  send_raw(to, tx_, head + payload.size(), false);
}

void media_bridge::send_raw(media_leg& to, std::span<std::uint8_t> buffer,
                            std::size_t length, bool rtcp) {
  if (to.srtp_out) {
    const bool ok = rtcp ? to.srtp_out->protect_rtcp(buffer, length)
                         : to.srtp_out->protect_rtp(buffer, length);
    if (!ok) {
      bump(counters_.send_failures);
      return;
    }
  }
  const bool own_rtcp = rtcp && !to.spec.rtcp_mux && to.rtcp.is_open();
  const int fd = own_rtcp            ? to.rtcp.native_handle()
                 : to.polled_fd >= 0 ? to.polled_fd
                                     : to.rtp.native_handle();
  const udp::endpoint& dest = rtcp ? to.remote_rtcp : to.remote_rtp;
  if (fd < 0 || ::sendto(fd, buffer.data(), length, MSG_DONTWAIT, dest.data(),
                         static_cast<socklen_t>(dest.size())) < 0)
    bump(counters_.send_failures);
  else
    bump(counters_.packets_out);
}

void media_bridge::on_rtcp(media_leg& l, std::uint8_t* data, std::size_t size) {
  if (!l.configured)
    return;
  std::size_t length = size;
  if (l.srtp_in && !l.srtp_in->unprotect_rtcp({data, l.rx_rtcp.size()}, length)) {
    bump(l.srtp_in->last_failure() == srtp_failure::replay ? counters_.srtp_replay_failures
                                                           : counters_.srtp_auth_failures);
    return;
  }
  const auto report = parse_rtcp({data, length});
  if (!report) {
    bump(counters_.malformed_rtcp);
    return;
  }
  if (report->sender) {
    l.last_sr_ntp_middle = ntp_middle32(report->sender->ntp);
    l.last_sr_at = clock_.now();
  }
  for (const auto& b : report->reports()) {
    if (b.ssrc != l.out_ssrc || b.lsr == 0)
      continue;
    if (const auto rtt = round_trip_ms(b.lsr, b.dlsr, ntp_from_wall_ms(clock_.wall_ms())))
      l.rtt_ms = *rtt;
  }
}

} // namespace ringdown::rtp
