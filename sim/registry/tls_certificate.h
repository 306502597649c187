#pragma once
// A self-signed certificate for the HTTP front's --tls: an ECDSA P-256 key and an X.509 v3
// certificate for the given host names and IP addresses (subjectAltName), made with OpenSSL.

#include <string>
#include <vector>

#include "sim/core/result.h"

namespace pullsim::registry {

struct TlsCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
};

// `hosts`: DNS names and IP literals ("localhost", "127.0.0.1"); the first is the common name.
// kInternal when OpenSSL fails (message from its error queue); kInvalidArgument for no hosts.
[[nodiscard]] Result<TlsCertificate> GenerateSelfSignedCertificate(
    const std::vector<std::string>& hosts, int valid_days = 30);

}  // namespace pullsim::registry
