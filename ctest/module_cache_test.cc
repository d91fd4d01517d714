// Unit tests of the precompiled-module cache: SHA-256, hit, miss, and every
// kind of bad file, which must be detected before Wasmtime sees it.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "article_host.hh"
#include "sha256.hh"
#include "wasmhost/module_cache.hh"
#include "wasmhost/wasm_host.hh"

namespace {

namespace fs = std::filesystem;
using wasmhost::ModuleCache;
using wasmhost::ModuleCacheIdentity;
using wasmhost::ModuleLoadReport;
using wasmhost::Sha256;
using wasmhost::WasmHost;
using Source = ModuleLoadReport::Source;

std::string sha256Hex(const std::string &text) {
  return Sha256::hex(Sha256().update(text).finish());
}

TEST(Sha256Test, MatchesTheFipsVectors) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 million;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) {
    million.update(chunk);
  }
  EXPECT_EQ(Sha256::of(std::span(reinterpret_cast<const uint8_t *>("abc"), 3)),
            Sha256().update("abc").finish());
  EXPECT_EQ(Sha256::hex(million.finish()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

std::vector<uint8_t> readBytes(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const fs::path &path, const std::vector<uint8_t> &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

struct ModuleCacheTest : ::testing::Test {
  fs::path dir;
  std::vector<uint8_t> wasm = readBytes(WASMHOST_GUEST_WASM);
  // A default engine: no epoch interruption, no fuel.
  ModuleCacheIdentity identity{WASMTIME_VERSION, WasmHost::engineConfigDescription([] {
                                 wasmhost::WasmHostOptions options;
                                 options.timeout_ms = 0;
                                 return options;
                               }())};
  wasmtime::Engine engine;

  void SetUp() override {
    const auto *test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = fs::temp_directory_path() /
          ("wasmhost-cache-" + std::to_string(::getpid()) + "-" + test->name());
    fs::remove_all(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  ModuleCache cache() const { return ModuleCache(dir, identity); }

  /// A valid entry for `wasm`, as the cache writes it.
  std::vector<uint8_t> validEntry() {
    ModuleLoadReport report;
    cache().load(engine, wasm, &report);
    EXPECT_EQ(report.source, Source::CacheMiss);
    return readBytes(cache().pathFor(wasm));
  }

  /// Plants `bytes` as the entry, checks that it is refused for `reason`,
  /// then that `load` rebuilds it into a valid entry.
  void expectRebuilt(const std::vector<uint8_t> &bytes, const std::string &reason) {
    writeBytes(cache().pathFor(wasm), bytes);
    std::string why;
    EXPECT_FALSE(cache().readPayload(wasm, &why));
    EXPECT_EQ(why, reason);
    EXPECT_FALSE(cache().tryLoad(engine, wasm, &why));
    ModuleLoadReport report;
    cache().load(engine, wasm, &report);
    EXPECT_EQ(report.source, Source::CacheRebuilt);
    EXPECT_EQ(report.reason, reason);
    EXPECT_TRUE(report.store_error.empty()) << report.store_error;
    EXPECT_TRUE(cache().readPayload(wasm, &why)) << why;
  }
};

TEST_F(ModuleCacheTest, MissStoresThenHitDeserializesAndRuns) {
  const wasmhost::WasmHostOptions options{nullptr, false, dir.string()};
  {
    wasmhost::app::HostState state;
    WasmHost host(WASMHOST_GUEST_WASM, options);
    EXPECT_EQ(host.moduleLoadReport().source, Source::CacheMiss);
    EXPECT_EQ(host.moduleLoadReport().reason, "no cache file");
    EXPECT_TRUE(fs::exists(host.moduleLoadReport().cache_file));
  }
  wasmhost::app::HostState state;
  WasmHost host(WASMHOST_GUEST_WASM, options);
  EXPECT_EQ(host.moduleLoadReport().source, Source::CacheHit);
  EXPECT_TRUE(host.moduleLoadReport().reason.empty());
  wasmhost::app::defineArticleHostFunctions(host, state);
  host.initialize();
  auto sum = host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
      "just_add", std::make_tuple(uint64_t{15}, uint64_t{27}));
  ASSERT_TRUE(sum) << sum.err().message();
  EXPECT_EQ(std::get<0>(sum.ok()), 42u);
  // One entry, no temporary file left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  // The folder the cache created is private to the user.
  EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST_F(ModuleCacheTest, TheKeyCoversBytesConfigurationAndVersion) {
  const std::string key = cache().keyFor(wasm);
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(cache().pathFor(wasm), dir / (key + ".cwasm"));
  std::vector<uint8_t> other = wasm;
  other.push_back(0);
  EXPECT_NE(cache().keyFor(other), key);
  EXPECT_NE(ModuleCache(dir, {"47.0.0", identity.engine_config}).keyFor(wasm), key);
  EXPECT_NE(ModuleCache(dir, {WASMTIME_VERSION, "config=other"}).keyFor(wasm), key);
}

TEST_F(ModuleCacheTest, ATruncatedHeaderIsRebuilt) {
  auto entry = validEntry();
  entry.resize(100);
  expectRebuilt(entry, "truncated: 100 bytes, shorter than the 148-byte header");
}

TEST_F(ModuleCacheTest, ATruncatedPayloadIsRebuilt) {
  auto entry = validEntry();
  const size_t payload = entry.size() - ModuleCache::kHeaderSize;
  entry.resize(entry.size() - 1000);
  expectRebuilt(entry, "truncated: the payload has " + std::to_string(payload - 1000) + " of " +
                           std::to_string(payload) + " bytes");
}

TEST_F(ModuleCacheTest, ACorruptPayloadIsRebuilt) {
  auto entry = validEntry();
  entry[ModuleCache::kHeaderSize + entry.size() / 2] ^= 0x01;
  expectRebuilt(entry, "corrupt: the payload's SHA-256 does not match the header");
}

TEST_F(ModuleCacheTest, TrailingBytesAreRebuilt) {
  auto entry = validEntry();
  entry.insert(entry.end(), {1, 2, 3});
  expectRebuilt(entry, "corrupt: 3 unexpected bytes after the payload");
}

TEST_F(ModuleCacheTest, AFileFromAnotherWasmtimeVersionIsRebuilt) {
  const auto entry = validEntry();
  const std::vector<uint8_t> payload(entry.begin() + ModuleCache::kHeaderSize, entry.end());
  const ModuleCache older(dir, {"47.0.0", identity.engine_config});
  expectRebuilt(older.encodeEntry(wasm, payload),
                "written by Wasmtime 47.0.0, this host uses Wasmtime " WASMTIME_VERSION);
}

TEST_F(ModuleCacheTest, AFileForAnotherEngineConfigurationIsRebuilt) {
  const auto entry = validEntry();
  const std::vector<uint8_t> payload(entry.begin() + ModuleCache::kHeaderSize, entry.end());
  const ModuleCache other(dir, {WASMTIME_VERSION, "config=epoch-interruption"});
  expectRebuilt(other.encodeEntry(wasm, payload), "written for another engine configuration");
}

TEST_F(ModuleCacheTest, AFileForOtherWasmBytesIsRebuilt) {
  // A valid entry of another module, copied under this module's name.
  auto other_wasm = wasmtime::wat2wasm("(module (func (export \"f\")))").ok();
  ModuleLoadReport report;
  cache().load(engine, other_wasm, &report);
  const auto other_entry = readBytes(cache().pathFor(other_wasm));
  expectRebuilt(other_entry, "written for other wasm bytes");
}

TEST_F(ModuleCacheTest, AnotherFormatVersionIsRebuilt) {
  auto entry = validEntry();
  entry[8] = 2;
  expectRebuilt(entry, "cache format 2, this host reads format 1");
}

TEST_F(ModuleCacheTest, AFileThatIsNoCacheFileIsRebuilt) {
  validEntry();
  const std::string text = "garbage\n";
  expectRebuilt(std::vector<uint8_t>(text.begin(), text.end()), "not a wasmhost module cache file");
  expectRebuilt({}, "truncated: 0 bytes, shorter than the 148-byte header");
}

TEST_F(ModuleCacheTest, AFailedStoreStillGivesAWorkingModule) {
  fs::create_directories(dir.parent_path());
  writeBytes(dir, {'x'}); // a file where the cache folder should be
  ModuleLoadReport report;
  auto module = cache().load(engine, wasm, &report);
  EXPECT_EQ(report.source, Source::CacheMiss);
  EXPECT_NE(report.store_error.find("cannot create cache folder"), std::string::npos)
      << report.store_error;
  EXPECT_GT(module.exports().size(), 0u);
  fs::remove(dir);
}

} // namespace
