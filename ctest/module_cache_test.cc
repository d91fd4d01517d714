// Unit tests of the precompiled-module cache: SHA-256, hit, miss, and every
// kind of bad file, which must be detected before Wasmtime sees it; hostile
// entries (a FIFO, a link to /dev/zero, a folder, another user's file, one
// made with another key), refused folders and key files.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "article_host.hh"
#include "sha256.hh"
#include "test_paths.hh"
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
  fs::path key_dir; // outside `dir`, as the cache requires
  fs::path key_file;
  std::vector<uint8_t> wasm = readBytes(test_paths::kGuestWasm);
  // A default engine: no epoch interruption, no fuel.
  ModuleCacheIdentity identity{WASMTIME_VERSION, WasmHost::engineConfigDescription([] {
                                 wasmhost::WasmHostOptions options;
                                 options.timeout_ms = 0;
                                 return options;
                               }())};
  wasmtime::Engine engine;

  void SetUp() override {
    const auto *test = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string name = std::to_string(::getpid()) + "-" + test->name();
    dir = fs::temp_directory_path() / ("wasmhost-cache-" + name);
    key_dir = fs::temp_directory_path() / ("wasmhost-cache-key-" + name);
    key_file = key_dir / "cache.key";
    fs::remove_all(dir);
    fs::remove_all(key_dir);
  }
  void TearDown() override {
    fs::remove_all(dir);
    fs::remove_all(key_dir);
  }

  ModuleCache cache() const { return ModuleCache(dir, identity, key_file); }

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
    expectRebuiltAsIs(reason);
  }

  /// `expectRebuilt` for whatever the test put at the entry's path.
  void expectRebuiltAsIs(const std::string &reason) {
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
  wasmhost::WasmHostOptions options{nullptr, false, dir.string()};
  options.module_cache_key_file = key_file.string();
  {
    wasmhost::app::HostState state;
    WasmHost host(test_paths::kGuestWasm, options);
    EXPECT_EQ(host.moduleLoadReport().source, Source::CacheMiss);
    EXPECT_EQ(host.moduleLoadReport().reason, "no cache file");
    EXPECT_TRUE(fs::exists(host.moduleLoadReport().cache_file));
  }
  wasmhost::app::HostState state;
  WasmHost host(test_paths::kGuestWasm, options);
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
  // The folder the cache created is private to the user, so is the entry.
  EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_EQ(fs::status(host.moduleLoadReport().cache_file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(ModuleCacheTest, TheKeyCoversBytesConfigurationAndVersion) {
  const std::string key = cache().keyFor(wasm);
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(cache().pathFor(wasm), dir / (key + ".cwasm"));
  std::vector<uint8_t> other = wasm;
  other.push_back(0);
  EXPECT_NE(cache().keyFor(other), key);
  EXPECT_NE(ModuleCache(dir, {"47.0.0", identity.engine_config}, key_file).keyFor(wasm), key);
  EXPECT_NE(ModuleCache(dir, {WASMTIME_VERSION, "config=other"}, key_file).keyFor(wasm), key);
}

TEST_F(ModuleCacheTest, ATruncatedHeaderIsRebuilt) {
  auto entry = validEntry();
  entry.resize(100);
  expectRebuilt(entry, "truncated: 100 bytes, shorter than the 180-byte header");
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
  const ModuleCache older(dir, {"47.0.0", identity.engine_config}, key_file);
  expectRebuilt(older.encodeEntry(wasm, payload),
                "written by Wasmtime 47.0.0, this host uses Wasmtime " WASMTIME_VERSION);
}

TEST_F(ModuleCacheTest, AFileForAnotherEngineConfigurationIsRebuilt) {
  const auto entry = validEntry();
  const std::vector<uint8_t> payload(entry.begin() + ModuleCache::kHeaderSize, entry.end());
  const ModuleCache other(dir, {WASMTIME_VERSION, "config=epoch-interruption"}, key_file);
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
  entry[8] = 1; // the format before entries were authenticated
  expectRebuilt(entry, "cache format 1, this host reads format 2");
}

TEST_F(ModuleCacheTest, AFileThatIsNoCacheFileIsRebuilt) {
  validEntry();
  const std::string text = "garbage\n";
  expectRebuilt(std::vector<uint8_t>(text.begin(), text.end()), "not a wasmhost module cache file");
  expectRebuilt({}, "truncated: 0 bytes, shorter than the 180-byte header");
}

TEST_F(ModuleCacheTest, AFolderInPlaceOfAnEntryIsSkippedAndTheModuleStillWorks) {
  validEntry();
  fs::remove(cache().pathFor(wasm));
  fs::create_directory(cache().pathFor(wasm));
  std::string why;
  EXPECT_FALSE(cache().readPayload(wasm, &why));
  EXPECT_EQ(why, "not a regular file");
  ModuleLoadReport report;
  auto module = cache().load(engine, wasm, &report);
  EXPECT_EQ(report.source, Source::CacheRebuilt);
  EXPECT_EQ(report.reason, "not a regular file");
  // rename(2) does not replace a folder: the store fails, is only reported.
  EXPECT_NE(report.store_error.find("cannot rename"), std::string::npos) << report.store_error;
  EXPECT_NE(report.store_error.find("Is a directory"), std::string::npos) << report.store_error;
  EXPECT_GT(module.exports().size(), 0u);
  EXPECT_TRUE(fs::is_directory(cache().pathFor(wasm)));
  // No temporary file left behind: the folder entry and nothing else.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

TEST_F(ModuleCacheTest, AFifoIsRejectedWithoutWaitingAndReplaced) {
  validEntry();
  fs::remove(cache().pathFor(wasm));
  ASSERT_EQ(::mkfifo(cache().pathFor(wasm).c_str(), 0600), 0);
  expectRebuiltAsIs("not a regular file"); // a blocking open would never return
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(cache().pathFor(wasm))));
}

TEST_F(ModuleCacheTest, ALinkToDevZeroIsRejectedAndReplacedNotItsTarget) {
  validEntry();
  fs::remove(cache().pathFor(wasm));
  fs::create_symlink("/dev/zero", cache().pathFor(wasm));
  expectRebuiltAsIs("a symbolic link, not a regular file");
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(cache().pathFor(wasm))));
  EXPECT_TRUE(fs::is_character_file("/dev/zero"));
}

TEST_F(ModuleCacheTest, AnOversizedFileIsRejectedUnread) {
  validEntry();
  const uint64_t bound = ModuleCache::maxEntryBytes(wasm.size());
  EXPECT_EQ(bound, ModuleCache::kHeaderSize + 32 * wasm.size() + (1u << 20));
  // A valid entry is far below the bound.
  EXPECT_LT(fs::file_size(cache().pathFor(wasm)) * 4, bound);
  fs::resize_file(cache().pathFor(wasm), bound + 1); // sparse: no disk used
  expectRebuiltAsIs("too large: " + std::to_string(bound + 1) + " bytes, more than the bound of " +
                    std::to_string(bound) + " for this module");
}

TEST_F(ModuleCacheTest, AnotherUsersEntryIsRejected) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root to give a file to another user";
  }
  validEntry();
  ASSERT_EQ(::chown(cache().pathFor(wasm).c_str(), 65534, 65534), 0);
  expectRebuiltAsIs("owned by uid 65534, not by this user (uid 0)");
}

TEST_F(ModuleCacheTest, AnEntryMadeWithAnotherKeyIsRejected) {
  // A planted entry: every field and checksum right, as anyone can compute
  // them, but made with a key other than this user's.
  const auto entry = validEntry();
  const std::vector<uint8_t> payload(entry.begin() + ModuleCache::kHeaderSize, entry.end());
  const fs::path other_key = key_dir / "other" / "cache.key";
  const ModuleCache foreign(dir, identity, other_key);
  const auto planted = foreign.encodeEntry(wasm, payload);
  ASSERT_EQ(planted.size(), entry.size());
  EXPECT_NE(planted, entry);
  writeBytes(cache().pathFor(wasm), planted);
  std::string why;
  EXPECT_TRUE(foreign.readPayload(wasm, &why)) << why; // valid for its own key
  expectRebuilt(planted, "not authenticated: its HMAC does not match this user's cache key (made "
                         "with another key, or planted)");
  // A flipped bit in the HMAC field alone is caught too.
  auto flipped = readBytes(cache().pathFor(wasm));
  flipped[ModuleCache::kHeaderSize - 1] ^= 0x80;
  expectRebuilt(flipped, "not authenticated: its HMAC does not match this user's cache key (made "
                         "with another key, or planted)");
}

/// The `Error` message `fn` throws, or "" when it throws none.
template <typename Fn> std::string ioErrorOf(Fn fn) {
  try {
    fn();
  } catch (const wasmhost::Error &error) {
    EXPECT_EQ(error.kind(), wasmhost::ErrorKind::Io);
    return error.what();
  }
  return "";
}

TEST_F(ModuleCacheTest, AFolderOthersCanWriteIsRefused) {
  for (const auto mode : {fs::perms::all, fs::perms::all | fs::perms::sticky_bit,
                          fs::perms::owner_all | fs::perms::group_all}) {
    fs::create_directories(dir);
    fs::permissions(dir, mode);
    const std::string shown = (mode & fs::perms::sticky_bit) != fs::perms::none   ? "1777"
                              : (mode & fs::perms::others_all) != fs::perms::none ? "0777"
                                                                                  : "0770";
    EXPECT_EQ(ioErrorOf([&] { cache(); }), "module cache folder '" + dir.string() +
                                               "' refused: writable by its group or others (mode " +
                                               shown +
                                               "); it must be a folder only its owner can write");
    fs::remove_all(dir);
  }
  EXPECT_FALSE(fs::exists(key_file)); // refused before any key is made
}

TEST_F(ModuleCacheTest, AFolderOfAnotherUserIsRefused) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root to give a folder to another user";
  }
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all);
  ASSERT_EQ(::chown(dir.c_str(), 65534, 65534), 0);
  EXPECT_EQ(ioErrorOf([&] { cache(); }),
            "module cache folder '" + dir.string() +
                "' refused: owned by uid 65534, not by this user (uid 0)");
}

TEST_F(ModuleCacheTest, AFileInPlaceOfTheFolderIsRefused) {
  writeBytes(dir, {'x'});
  EXPECT_EQ(ioErrorOf([&] { cache(); }),
            "module cache folder '" + dir.string() + "' refused: not a folder");
  fs::remove(dir);
}

TEST_F(ModuleCacheTest, TheKeyIsMadeOnceMode600AndKept) {
  validEntry();
  EXPECT_EQ(fs::status(key_file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(fs::file_size(key_file), ModuleCache::kKeyBytes);
  EXPECT_EQ(fs::status(key_dir).permissions() & fs::perms::all, fs::perms::owner_all);
  const auto key = readBytes(key_file);
  ModuleLoadReport report;
  cache().load(engine, wasm, &report); // a second cache object: the same key
  EXPECT_EQ(report.source, Source::CacheHit) << report.reason;
  EXPECT_EQ(readBytes(key_file), key);
  EXPECT_EQ(cache().keyFile(), key_file);
}

TEST_F(ModuleCacheTest, ABadKeyFileIsRefused) {
  const std::string must = " (it must be a regular file of 32 bytes owned by this user, mode 600)";
  const std::string refused = "module cache key '" + key_file.string() + "' refused: ";
  validEntry();
  const auto key = readBytes(key_file);

  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                fs::perms::others_read);
  EXPECT_EQ(ioErrorOf([&] { cache(); }), refused + "mode 0644" + must);
  fs::remove(key_file);

  writeBytes(key_dir / "real.key", key);
  fs::permissions(key_dir / "real.key", fs::perms::owner_read | fs::perms::owner_write);
  fs::create_symlink(key_dir / "real.key", key_file);
  EXPECT_EQ(ioErrorOf([&] { cache(); }), refused + "a symbolic link" + must);
  fs::remove(key_file);

  fs::create_directory(key_file);
  EXPECT_EQ(ioErrorOf([&] { cache(); }), refused + "not a regular file" + must);
  fs::remove(key_file);

  ASSERT_EQ(::mkfifo(key_file.c_str(), 0600), 0);
  EXPECT_EQ(ioErrorOf([&] { cache(); }), refused + "not a regular file" + must);
  fs::remove(key_file);

  writeBytes(key_file, std::vector<uint8_t>(16, 7));
  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(ioErrorOf([&] { cache(); }), refused + "16 bytes" + must);

  if (::geteuid() == 0) {
    writeBytes(key_file, key);
    ASSERT_EQ(::chown(key_file.c_str(), 65534, 65534), 0);
    EXPECT_EQ(ioErrorOf([&] { cache(); }), refused + "owned by uid 65534" + must);
  }
  fs::remove(key_file);

  const fs::path inside = dir / "cache.key";
  EXPECT_EQ(ioErrorOf([&] { ModuleCache(dir, identity, inside); }),
            "module cache key '" + inside.string() + "' refused: it is in the cache folder" + must);
  EXPECT_FALSE(fs::exists(inside));

  fs::permissions(key_dir, fs::perms::all);
  EXPECT_EQ(ioErrorOf([&] { cache(); }),
            "module cache key folder '" + key_dir.string() +
                "' refused: writable by its group or others (mode 0777); it must be a folder "
                "only its owner can write");
}

TEST(ModuleCacheKeyFile, DefaultsToTheUsersConfigFolder) {
  const char *xdg = std::getenv("XDG_CONFIG_HOME");
  const char *home = std::getenv("HOME");
  const std::string saved_xdg = xdg != nullptr ? xdg : "";
  const std::string saved_home = home != nullptr ? home : "";
  ::setenv("XDG_CONFIG_HOME", "/somewhere/config", 1);
  ::setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(ModuleCache::defaultKeyFile(), "/somewhere/config/wasmhost/cache.key");
  ::setenv("XDG_CONFIG_HOME", "relative/config", 1); // ignored, as the XDG spec says
  EXPECT_EQ(ModuleCache::defaultKeyFile(), "/home/someone/.config/wasmhost/cache.key");
  ::unsetenv("XDG_CONFIG_HOME");
  EXPECT_EQ(ModuleCache::defaultKeyFile(), "/home/someone/.config/wasmhost/cache.key");
  xdg != nullptr ? ::setenv("XDG_CONFIG_HOME", saved_xdg.c_str(), 1)
                 : ::unsetenv("XDG_CONFIG_HOME");
  home != nullptr ? ::setenv("HOME", saved_home.c_str(), 1) : ::unsetenv("HOME");
}

} // namespace
