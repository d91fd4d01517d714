// profile_check PROFILE.json FUNCTION [PRODUCT]: reads a guest profile of
// `host --profile guest=FILE` (Firefox Profiler JSON) with nlohmann-json,
// on its own (not with the host's flame-graph code), checks its structure
// and prints
//   samples: <all> total, <with guest frames> with guest frames
//   function: <name> in <n> samples
// for the first function whose name, without rustc's hash (`::h` and 16 hex
// digits), ends with FUNCTION (n counts the samples with it anywhere on their
// stack). Exit status 0 when it is in at least one
// sample, 1 when not, 2 when the file is not such a profile.
#include <cstdint>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

/// Whether `name`, without a trailing rustc hash, ends with `wanted`.
bool names(std::string name, const std::string &wanted) {
  const size_t hash = name.rfind("::h");
  if (hash != std::string::npos && name.size() - hash == 3 + 16) {
    name.resize(hash);
  }
  return name.size() >= wanted.size() &&
         name.compare(name.size() - wanted.size(), wanted.size(), wanted) == 0;
}

int fail(const std::string &why) {
  std::cerr << "profile_check: " << why << "\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    return fail("usage: profile_check PROFILE.json FUNCTION [PRODUCT]");
  }
  std::ifstream file(argv[1], std::ios::binary);
  if (!file) {
    return fail(std::string("cannot open ") + argv[1]);
  }
  const std::string wanted = argv[2];
  json profile;
  try {
    profile = json::parse(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    const json &meta = profile.at("meta");
    if (meta.at("interval").get<double>() != 1.0) {
      return fail("the interval is not 1 ms: " + meta.at("interval").dump());
    }
    if (argc > 3 && meta.at("product").get<std::string>() != argv[3]) {
      return fail("the product is " + meta.at("product").dump() + ", not " + argv[3]);
    }
    const json &threads = profile.at("threads");
    if (threads.size() != 1) {
      return fail("expected one thread, found " + std::to_string(threads.size()));
    }
    const json &thread = threads.at(0);
    const json &strings = thread.at("stringArray");
    const json &func_names = thread.at("funcTable").at("name");
    const json &frame_funcs = thread.at("frameTable").at("func");
    const json &prefixes = thread.at("stackTable").at("prefix");
    const json &stack_frames = thread.at("stackTable").at("frame");
    const json &samples = thread.at("samples");
    const json &stacks = samples.at("stack");
    const json &weights = samples.at("weight");
    if (samples.at("length").get<size_t>() != stacks.size() || weights.size() != stacks.size() ||
        samples.at("timeDeltas").size() != stacks.size()) {
      return fail("the sample columns have different lengths");
    }

    // The functions FUNCTION names.
    std::set<size_t> matching;
    std::string matched_name;
    for (size_t func = 0; func < func_names.size(); ++func) {
      const std::string name = strings.at(func_names.at(func).get<size_t>()).get<std::string>();
      if (names(name, wanted)) {
        matching.insert(func);
        if (matched_name.empty()) {
          matched_name = name;
        }
      }
    }

    uint64_t total = 0;
    uint64_t with_frames = 0;
    uint64_t with_function = 0;
    for (size_t i = 0; i < stacks.size(); ++i) {
      const auto weight = weights.at(i).get<uint64_t>();
      total += weight;
      if (stacks.at(i).is_null()) {
        continue;
      }
      with_frames += weight;
      bool found = false;
      for (json at = stacks.at(i); !at.is_null();) {
        const auto index = at.get<size_t>();
        const auto frame = stack_frames.at(index).get<size_t>();
        found = found || matching.count(frame_funcs.at(frame).get<size_t>()) > 0;
        at = prefixes.at(index);
        if (!at.is_null() && at.get<size_t>() >= index) {
          return fail("a stack's prefix does not come before it");
        }
      }
      with_function += found ? weight : 0;
    }
    std::cout << "samples: " << total << " total, " << with_frames << " with guest frames\n";
    if (matched_name.empty()) {
      std::cout << "function: no name ends with '" << wanted << "'\n";
      return 1;
    }
    std::cout << "function: " << matched_name << " in " << with_function << " samples\n";
    return with_function > 0 ? 0 : 1;
  } catch (const json::exception &error) {
    return fail(std::string("not a Firefox profile: ") + error.what());
  }
}
