/**
 * \file cli.hh
 * The `host` command line: options, usage text and exit statuses.
 */
#ifndef WASMHOST_CLI_HH
#define WASMHOST_CLI_HH

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace wasmhost::cli {

/// Exit statuses of `host`, the same for every mode.
enum ExitStatus : int {
  kOk = 0,          ///< every check passed
  kCheckFailed = 1, ///< a check failed (or the host refused a memory access)
  kSetupError = 2,  ///< usage, file, compile or link error
  kGuestTrap = 3,   ///< the guest trapped
};

struct Options {
  std::string module_path;
  std::vector<std::string> scenarios; ///< empty: all, in the article's order
  std::optional<std::string> call_export;
  std::vector<std::string> call_args;
  bool quiet = false;
  bool help = false;
  bool version = false;
};

/// A command line `host` cannot run; its message is one line.
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Parses `argv[1..]`. Throws `UsageError`.
Options parseOptions(const std::vector<std::string> &args);

std::string usageText();
std::string versionText();

} // namespace wasmhost::cli

#endif // WASMHOST_CLI_HH
