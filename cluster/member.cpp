#include "cluster/member.hpp"

namespace ringdown::cluster {

bool well_formed(const member& m) noexcept {
  const auto& a = m.addresses;
  return !m.id.empty() && m.id.size() <= member_id_bytes_max &&
         m.zone.size() <= zone_bytes_max && a.sip.size() <= address_bytes_max &&
         a.cluster.size() <= address_bytes_max && a.admin.size() <= address_bytes_max &&
         a.media.size() <= address_bytes_max;
}

} // namespace ringdown::cluster
