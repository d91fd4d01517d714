#include "wasmhost/runtime/config.hh"

#include "wasmhost/errors.hh"

namespace wasmhost::runtime {

void checkConfig(const std::map<std::string, std::string> &config) {
  for (const auto &[key, value] : config) {
    if (key.empty()) {
      throw Error(ErrorKind::Limit, "configuration key is empty");
    }
    if (key.size() > kMaxConfigKeyBytes) {
      throw Error(ErrorKind::Limit, "configuration key '" + key.substr(0, 32) + "...' has " +
                                        std::to_string(key.size()) + " bytes, more than " +
                                        std::to_string(kMaxConfigKeyBytes));
    }
    if (value.size() > kMaxConfigValueBytes) {
      throw Error(ErrorKind::Limit, "configuration value of '" + key + "' has " +
                                        std::to_string(value.size()) + " bytes, more than " +
                                        std::to_string(kMaxConfigValueBytes));
    }
  }
}

} // namespace wasmhost::runtime
