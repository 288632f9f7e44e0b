#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include <spdlog/logger.h>

#include "net/http/admin_server.hpp"
#include "net/http/probe.hpp"
#include "net/http/router.hpp"

// Private to net/http: what the listener and its connections share.

namespace ringdown::http {

/// An open connection as the server sees it: something it can close.
class connection {
public:
  virtual ~connection() = default;
  virtual void close() = 0;
};

/// The state one admin_server shares with its connections (each holds a
/// shared_ptr, so a connection outliving the server stays valid). Lives on
/// the server's io_context thread; only `probe` is read elsewhere.
struct server_state {
  server_options options;
  router routes;
  http_probe probe;
  std::shared_ptr<spdlog::logger> log;
  std::unordered_map<std::uint64_t, std::weak_ptr<connection>> open;
  std::uint64_t next_id = 1;
  bool stopped = false;
};

} // namespace ringdown::http
