// Unit tests of the flame graph of `host --profile guest=FILE`
// (host-cpp/app/flame_graph.cc) on small profiles made here: folding,
// weights, what XML cannot carry, deep stacks, profiles that are not.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "flame_graph.hh"

namespace {

using nlohmann::json;
using wasmhost::app::flameGraphSvg;
using wasmhost::app::FoldedProfile;
using wasmhost::app::foldFirefoxProfile;

/// A profile in the guest profiler's layout: `names` are the functions,
/// stack i is (prefix[i], function of frame i), and the samples' stacks and
/// weights.
std::string profileOf(const std::vector<std::string> &names, const json &prefixes,
                      const json &stacks, const json &weights) {
  json funcs = json::array();
  json name_indexes = json::array();
  for (size_t i = 0; i < names.size(); ++i) {
    funcs.push_back(i);
    name_indexes.push_back(i);
  }
  json frames = json::array();
  for (size_t i = 0; i < prefixes.size(); ++i) {
    frames.push_back(i % names.size());
  }
  json thread = {
      {"stringArray", names},
      {"funcTable", {{"name", name_indexes}}},
      {"frameTable", {{"func", funcs}}},
      {"stackTable", {{"prefix", prefixes}, {"frame", frames}}},
      {"samples", {{"stack", stacks}, {"weight", weights}}},
  };
  return json{{"meta", {{"interval", 1.0}}}, {"threads", json::array({thread})}}.dump();
}

TEST(FlameGraph, FoldsSamplesByStackWithTheirWeights) {
  // Stacks: 0 = [main], 1 = [main, work], 2 = [main, work, inner].
  const std::string text =
      profileOf({"main", "work", "inner"}, json::array({nullptr, 0, 1}),
                json::array({0, 1, 2, 2, nullptr}), json::array({1, 2, 3, 1, 4}));
  const FoldedProfile profile = foldFirefoxProfile(text);
  EXPECT_EQ(profile.samples, 11u);
  EXPECT_EQ(profile.empty_samples, 4u);
  EXPECT_EQ(profile.interval_ms, 1.0);
  ASSERT_EQ(profile.stacks.size(), 3u);
  EXPECT_EQ(profile.stacks[2].frames, (std::vector<std::string>{"main", "work", "inner"}));
  EXPECT_EQ(profile.stacks[2].samples, 4u);

  const std::string svg = flameGraphSvg(profile, "Guest profile of test.wasm");
  EXPECT_NE(svg.find("<title>all (7 samples, 100.00%)</title>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<title>main (7 samples, 100.00%)</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>work (6 samples, 85.71%)</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>inner (4 samples, 57.14%)</title>"), std::string::npos);
  EXPECT_NE(svg.find("7 samples with guest frames (at each call and every 1 ms); 4 more without"),
            std::string::npos);
  EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0), 0u);
}

TEST(FlameGraph, NamesAreEscapedAndLoseRustsHash) {
  const std::string name = "<impl core::fmt::Write for &mut W>::write_str::h0123456789abcdef";
  const std::string control = std::string("bad\x01name\xEF\xBF\xBF");
  const std::string text =
      profileOf({name, control}, json::array({nullptr, 0}), json::array({1}), json::array({1}));
  const std::string svg = flameGraphSvg(foldFirefoxProfile(text), "a & b");
  EXPECT_NE(svg.find("<title>&lt;impl core::fmt::Write for &amp;mut W&gt;::write_str (1 samples"),
            std::string::npos)
      << svg;
  EXPECT_EQ(svg.find("h0123456789abcdef"), std::string::npos);
  EXPECT_NE(svg.find("<title>bad\xEF\xBF\xBDname\xEF\xBF\xBD (1 samples"), std::string::npos);
  EXPECT_EQ(svg.find('\x01'), std::string::npos);
  EXPECT_NE(svg.find(">a &amp; b</text>"), std::string::npos);
}

TEST(FlameGraph, DeepStacksAreCut) {
  // A guest that recursed 1000 frames deep.
  json prefixes = json::array({nullptr});
  for (int i = 1; i < 1000; ++i) {
    prefixes.push_back(i - 1);
  }
  const std::string text = profileOf({"recurse"}, prefixes, json::array({999}), json::array({1}));
  const FoldedProfile profile = foldFirefoxProfile(text);
  ASSERT_EQ(profile.stacks.size(), 1u);
  ASSERT_EQ(profile.stacks[0].frames.size(), wasmhost::app::kMaxFlameGraphDepth);
  EXPECT_EQ(profile.stacks[0].frames.back(), "[745 more frames]");
  const std::string svg = flameGraphSvg(profile, "deep");
  EXPECT_NE(svg.find("<title>[745 more frames] (1 samples, 100.00%)</title>"), std::string::npos);
}

TEST(FlameGraph, AProfileWithoutGuestFramesSaysSo) {
  const std::string text = profileOf({"f"}, json::array({nullptr}), json::array({nullptr, nullptr}),
                                     json::array({1, 1}));
  const std::string svg = flameGraphSvg(foldFirefoxProfile(text), "empty");
  EXPECT_NE(svg.find("no sample had a guest frame"), std::string::npos);
  EXPECT_EQ(svg.find("<title>"), std::string::npos);
}

TEST(FlameGraph, WhatIsNoProfileIsRefusedWithTheReason) {
  const auto reason = [](const std::string &text) {
    try {
      foldFirefoxProfile(text);
    } catch (const std::runtime_error &error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(reason("[1, 2").rfind("not a Firefox profile of the guest profiler: invalid JSON: ", 0),
            0u);
  EXPECT_EQ(reason("{\"threads\": []}"),
            "not a Firefox profile of the guest profiler: the profile has no 'meta'");
  // A stack whose prefix does not come before it (a loop).
  EXPECT_EQ(reason(profileOf({"f"}, json::array({1, 0}), json::array({1}), json::array({1}))),
            "not a Firefox profile of the guest profiler: stackTable.prefix[0] does not come "
            "before it");
  // An index past its table.
  EXPECT_EQ(
      reason(profileOf({"f"}, json::array({nullptr}), json::array({5}), json::array({1}))),
      "not a Firefox profile of the guest profiler: samples.stack[0] is not an index below 1");
  EXPECT_EQ(reason(profileOf({"f"}, json::array({nullptr}), json::array({0}), json::array({-1}))),
            "not a Firefox profile of the guest profiler: samples.weight[0] is not a count");
}

} // namespace
