/**
 * \file wasmhost/detail/export_cache.hh
 * The exports a `PluginInstance` looked up, with the typed handles checked
 * against them: the fast path of every call by name (one map look-up, no
 * allocation). Internal; inline so that a call by name stays as fast as it is.
 */
#ifndef WASMHOST_DETAIL_EXPORT_CACHE_HH
#define WASMHOST_DETAIL_EXPORT_CACHE_HH

#include <any>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <typeindex>
#include <utility>
#include <vector>

#include <wasmtime.hh>

namespace wasmhost::detail {

/// Where `a` and `b` (of one size) first differ: negative, zero or positive,
/// comparing eight bytes at a time as integers, then byte by byte. No
/// `memcmp` call: `<` on strings makes two per look-up.
inline int compareSameSize(std::string_view a, std::string_view b) {
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    uint64_t x = 0;
    uint64_t y = 0;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) {
      return x < y ? -1 : 1;
    }
  }
  for (; i < a.size(); ++i) {
    if (a[i] != b[i]) {
      return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]) ? -1 : 1;
    }
  }
  return 0;
}

/// A strict order on names that is cheap for short ones: by length, then
/// `compareSameSize` (not alphabetical, and need not be). Transparent: a
/// `string_view` is found without building a `std::string`.
struct ShortlexLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const {
    if (a.size() != b.size()) {
      return a.size() < b.size();
    }
    return compareSameSize(a, b) < 0;
  }
};

/// Whether `a` and `b` hold the same bytes (no `memcmp`).
inline bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && compareSameSize(a, b) == 0;
}

/// An export looked up once, with one `wasmtime::TypedFunc` per signature
/// asked for.
struct CachedExport {
  wasmtime::Func func;
  std::vector<std::pair<std::type_index, std::any>> typed;
};

/// Exports by name; entries never move (map nodes), and all go at once when
/// the instance is replaced.
class ExportCache {
public:
  /// The typed handle cached for `name` and these types, or null.
  template <typename Params, typename Results>
  const wasmtime::TypedFunc<Params, Results> *findTyped(std::string_view name) const {
    using Typed = wasmtime::TypedFunc<Params, Results>;
    // The last hit first: a hot loop calls one export by one name. The
    // bytes are compared, not only the pointer and size: a caller may reuse
    // one buffer for another name.
    if (last_type_ == &typeid(Typed) && sameName(name, last_name_)) [[likely]] {
      return static_cast<const Typed *>(last_typed_);
    }
    return findTypedInMap<Params, Results>(name);
  }

  /// The entry of `name`, for adding typed handles to it: forgets the last
  /// hit (adding may move the handles).
  CachedExport *find(std::string_view name) {
    forgetLastHit();
    auto cached = exports_.find(name);
    return cached == exports_.end() ? nullptr : &cached->second;
  }
  CachedExport &add(std::string_view name, wasmtime::Func func) {
    forgetLastHit();
    return exports_.emplace(std::string(name), CachedExport{func, {}}).first->second;
  }
  void clear() {
    forgetLastHit();
    exports_.clear();
  }

private:
  /// `findTyped` past the last hit: the map, then the entry's signatures;
  /// a hit becomes the last hit. Out of line, so that the last-hit test and
  /// the call it guards stay small enough to inline together.
  template <typename Params, typename Results>
  [[gnu::noinline]] const wasmtime::TypedFunc<Params, Results> *
  findTypedInMap(std::string_view name) const {
    using Typed = wasmtime::TypedFunc<Params, Results>;
    auto cached = exports_.find(name);
    if (cached == exports_.end()) {
      return nullptr;
    }
    for (const auto &[type, handle] : cached->second.typed) {
      if (type == typeid(Typed)) {
        const Typed *typed = std::any_cast<Typed>(&handle);
        last_name_ = cached->first; // a map key: never moves
        last_type_ = &typeid(Typed);
        last_typed_ = typed;
        return typed;
      }
    }
    return nullptr;
  }

  void forgetLastHit() {
    last_type_ = nullptr;
    last_typed_ = nullptr;
    last_name_ = {};
  }

  std::map<std::string, CachedExport, ShortlexLess> exports_;
  /// The last `findTyped` hit: its name (a key of `exports_`), its type and
  /// its handle (inside that entry's `typed`).
  mutable std::string_view last_name_;
  mutable const std::type_info *last_type_ = nullptr;
  mutable const void *last_typed_ = nullptr;
};

} // namespace wasmhost::detail

#endif // WASMHOST_DETAIL_EXPORT_CACHE_HH
