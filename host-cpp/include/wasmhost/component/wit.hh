/**
 * \file wasmhost/component/wit.hh
 * C++ types for WIT types, checked at compile time: `Wit<T>` says how a C++
 * value is a component value (`wasmtime::component::Val`) and which WIT
 * types it may stand for.
 *
 * | WIT                        | C++                                          |
 * |----------------------------|----------------------------------------------|
 * | bool, u8..u64, s8..s64     | bool, uint8_t..uint64_t, int8_t..int64_t     |
 * | f32, f64                   | float, double                                |
 * | char                       | char32_t (a Unicode scalar value)            |
 * | string                     | std::string (UTF-8)                          |
 * | list<T>                    | std::vector<T>                               |
 * | option<T>                  | std::optional<T>                             |
 * | result<T, E>               | wasmhost::component::Result<T, E>            |
 * | tuple<T...>                | std::tuple<T...>                             |
 * | record                     | a struct with WASMHOST_WIT_RECORD            |
 * | variant                    | a std::variant subclass, WASMHOST_WIT_VARIANT|
 * | enum                       | an enum class with WASMHOST_WIT_ENUM         |
 * | flags                      | an enum class with WASMHOST_WIT_FLAGS        |
 * | own<R>, borrow<R>          | Resource (component/resource.hh)             |
 *
 * `std::monostate` is "no payload": a variant case without one, or a side
 * of a `result` without one (`result<_, E>` is `Result<std::monostate, E>`).
 *
 * Each `Wit<T>` has `name()` (the type as WIT spells it, records and
 * variants structurally, since a component's types carry no names),
 * `matches(type)` (whether a component's type is this C++ type), `lower`
 * (C++ to `Val`) and `lift` (`Val` to C++; throws `WitError` for a value of
 * another shape, which a value of a matching type never is). A C++ type
 * with no `Wit` is a compile error at the call that uses it.
 */
#ifndef WASMHOST_COMPONENT_WIT_HH
#define WASMHOST_COMPONENT_WIT_HH

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <wasmtime/component.hh>

namespace wasmhost::component {

namespace wc = wasmtime::component;

/// A component value that does not have the shape of the C++ type it is
/// lifted into, or a C++ value WIT cannot carry (a `char32_t` that is not a
/// Unicode scalar value).
class WitError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// WIT's `result<T, E>`: either an ok value or an error value.
template <typename T, typename E> class Result {
public:
  /// `ok(T{})`, as a `std::variant` starts (a record with a `result` field is
  /// default-constructed before it is lifted).
  Result() = default;
  static Result ok(T value) { return Result(std::in_place_index<0>, std::move(value)); }
  static Result err(E error) { return Result(std::in_place_index<1>, std::move(error)); }
  [[nodiscard]] bool is_ok() const { return value_.index() == 0; }
  [[nodiscard]] const T &ok() const { return std::get<0>(value_); }
  [[nodiscard]] const E &err() const { return std::get<1>(value_); }
  bool operator==(const Result &) const = default;

private:
  template <size_t I, typename V>
  Result(std::in_place_index_t<I> index, V &&value) : value_(index, std::forward<V>(value)) {}
  std::variant<T, E> value_;
};

/// How the C++ type `T` is a WIT type; specialised below and by the macros.
template <typename T> struct Wit;

/// Whether `T` has a WIT mapping.
template <typename T>
concept WitType = requires(const T &value, const wc::Val &val, const wc::ValType &type) {
  { Wit<T>::name() } -> std::convertible_to<std::string>;
  { Wit<T>::matches(type) } -> std::same_as<bool>;
  { Wit<T>::lower(value) } -> std::same_as<wc::Val>;
  { Wit<T>::lift(val) } -> std::same_as<T>;
};

/// A component's type as WIT spells it (records and variants structurally).
std::string describe(const wc::ValType &type);
/// A component function's type: `func(name: type, ...) -> type`.
std::string describe(const wc::FuncType &type);

namespace detail {

[[noreturn]] void wrongShape(std::string_view expected, const wc::Val &val);
/// The kind of a value, for messages ("u32", "string", "record"...).
std::string_view kindOf(const wc::Val &val);

template <typename T, wasmtime_component_valtype_kind_t Kind, bool (wc::Val::*Is)() const>
struct WitScalar {
  static bool matches(const wc::ValType &type) { return type.kind() == Kind; }
  static wc::Val lower(T value) { return wc::Val(value); }
  static T lift(const wc::Val &val, T (wc::Val::*get)() const, std::string_view name) {
    if (!(val.*Is)()) {
      wrongShape(name, val);
    }
    return (val.*get)();
  }
};

} // namespace detail

#define WASMHOST_WIT_SCALAR(cpp, wit, KIND)                                                        \
  template <>                                                                                      \
  struct Wit<cpp>                                                                                  \
      : detail::WitScalar<cpp, WASMTIME_COMPONENT_VALTYPE_##KIND, &wc::Val::is_##wit> {            \
    static std::string name() { return #wit; }                                                     \
    static cpp lift(const wc::Val &val) {                                                          \
      return detail::WitScalar<cpp, WASMTIME_COMPONENT_VALTYPE_##KIND, &wc::Val::is_##wit>::lift(  \
          val, &wc::Val::get_##wit, #wit);                                                         \
    }                                                                                              \
  }

WASMHOST_WIT_SCALAR(bool, bool, BOOL);
WASMHOST_WIT_SCALAR(uint8_t, u8, U8);
WASMHOST_WIT_SCALAR(int8_t, s8, S8);
WASMHOST_WIT_SCALAR(uint16_t, u16, U16);
WASMHOST_WIT_SCALAR(int16_t, s16, S16);
WASMHOST_WIT_SCALAR(uint32_t, u32, U32);
WASMHOST_WIT_SCALAR(int32_t, s32, S32);
WASMHOST_WIT_SCALAR(uint64_t, u64, U64);
WASMHOST_WIT_SCALAR(int64_t, s64, S64);
WASMHOST_WIT_SCALAR(float, f32, F32);
WASMHOST_WIT_SCALAR(double, f64, F64);
#undef WASMHOST_WIT_SCALAR

template <> struct Wit<char32_t> {
  static std::string name() { return "char"; }
  static bool matches(const wc::ValType &type) { return type.is_char(); }
  static wc::Val lower(char32_t value) {
    if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      throw WitError("char: " + std::to_string(static_cast<uint32_t>(value)) +
                     " is not a Unicode scalar value");
    }
    return wc::Val::char_(static_cast<uint32_t>(value));
  }
  static char32_t lift(const wc::Val &val);
};

template <> struct Wit<std::string> {
  static std::string name() { return "string"; }
  static bool matches(const wc::ValType &type) { return type.is_string(); }
  static wc::Val lower(const std::string &value) { return wc::Val::string(value); }
  static std::string lift(const wc::Val &val) {
    if (!val.is_string()) {
      detail::wrongShape("string", val);
    }
    return std::string(val.get_string());
  }
};

template <WitType T> struct Wit<std::vector<T>> {
  static std::string name() { return "list<" + Wit<T>::name() + ">"; }
  static bool matches(const wc::ValType &type) {
    return type.is_list() && Wit<T>::matches(type.list().element());
  }
  static wc::Val lower(const std::vector<T> &values) {
    std::vector<wc::Val> vals;
    vals.reserve(values.size());
    for (const auto &value : values) {
      vals.push_back(Wit<T>::lower(value));
    }
    return wc::Val(wc::List(std::move(vals)));
  }
  static std::vector<T> lift(const wc::Val &val) {
    if (!val.is_list()) {
      detail::wrongShape("list", val);
    }
    std::vector<T> values;
    values.reserve(val.get_list().size());
    for (const wc::Val &element : val.get_list()) {
      values.push_back(Wit<T>::lift(element));
    }
    return values;
  }
};

template <WitType T> struct Wit<std::optional<T>> {
  static std::string name() { return "option<" + Wit<T>::name() + ">"; }
  static bool matches(const wc::ValType &type) {
    return type.is_option() && Wit<T>::matches(type.option().ty());
  }
  static wc::Val lower(const std::optional<T> &value) {
    if (!value) {
      return wc::Val(wc::WitOption(std::nullopt));
    }
    return wc::Val(wc::WitOption(Wit<T>::lower(*value)));
  }
  static std::optional<T> lift(const wc::Val &val) {
    if (!val.is_option()) {
      detail::wrongShape("option", val);
    }
    const wc::Val *payload = val.get_option().value();
    if (payload == nullptr) {
      return std::nullopt;
    }
    return Wit<T>::lift(*payload);
  }
};

namespace detail {

/// A side of a `result` or a variant case: `std::monostate` is no payload.
template <typename T> struct Payload {
  static std::string name() { return Wit<T>::name(); }
  static bool matches(const std::optional<wc::ValType> &type) {
    return type && Wit<T>::matches(*type);
  }
  static std::optional<wc::Val> lower(const T &value) { return Wit<T>::lower(value); }
  static T lift(const wc::Val *val, std::string_view what) {
    if (val == nullptr) {
      throw WitError(std::string(what) + " has no payload");
    }
    return Wit<T>::lift(*val);
  }
};

template <> struct Payload<std::monostate> {
  static std::string name() { return "_"; }
  static bool matches(const std::optional<wc::ValType> &type) { return !type.has_value(); }
  static std::optional<wc::Val> lower(std::monostate) { return std::nullopt; }
  static std::monostate lift(const wc::Val * /*val*/, std::string_view /*what*/) { return {}; }
};

} // namespace detail

template <typename T, typename E> struct Wit<Result<T, E>> {
  static std::string name() {
    return "result<" + detail::Payload<T>::name() + ", " + detail::Payload<E>::name() + ">";
  }
  static bool matches(const wc::ValType &type) {
    return type.is_result() && detail::Payload<T>::matches(type.result().ok()) &&
           detail::Payload<E>::matches(type.result().err());
  }
  static wc::Val lower(const Result<T, E> &value) {
    if (value.is_ok()) {
      return wc::Val(wc::WitResult::ok(detail::Payload<T>::lower(value.ok())));
    }
    return wc::Val(wc::WitResult::err(detail::Payload<E>::lower(value.err())));
  }
  static Result<T, E> lift(const wc::Val &val) {
    if (!val.is_result()) {
      detail::wrongShape("result", val);
    }
    const wc::WitResult &result = val.get_result();
    if (result.is_ok()) {
      return Result<T, E>::ok(detail::Payload<T>::lift(result.payload(), "result's ok"));
    }
    return Result<T, E>::err(detail::Payload<E>::lift(result.payload(), "result's err"));
  }
};

template <WitType... Ts> struct Wit<std::tuple<Ts...>> {
  static std::string name() {
    std::string spelled = "tuple<";
    size_t index = 0;
    ((spelled += (index++ == 0 ? "" : ", ") + Wit<Ts>::name()), ...);
    return spelled + ">";
  }
  static bool matches(const wc::ValType &type) {
    if (!type.is_tuple() || type.tuple().types_count() != sizeof...(Ts)) {
      return false;
    }
    return matchesFrom(type.tuple(), std::index_sequence_for<Ts...>{});
  }
  static wc::Val lower(const std::tuple<Ts...> &value) {
    std::vector<wc::Val> vals;
    vals.reserve(sizeof...(Ts));
    std::apply([&vals](const Ts &...elements) { (vals.push_back(Wit<Ts>::lower(elements)), ...); },
               value);
    return wc::Val(wc::Tuple(std::move(vals)));
  }
  static std::tuple<Ts...> lift(const wc::Val &val) {
    if (!val.is_tuple() || val.get_tuple().size() != sizeof...(Ts)) {
      detail::wrongShape(name(), val);
    }
    return liftFrom(val.get_tuple().begin(), std::index_sequence_for<Ts...>{});
  }

private:
  template <size_t... I>
  static bool matchesFrom(const wc::TupleType &type, std::index_sequence<I...> /*indices*/) {
    return (Wit<Ts>::matches(*type.types_nth(I)) && ...);
  }
  template <size_t... I>
  static std::tuple<Ts...> liftFrom(const wc::Val *elements,
                                    std::index_sequence<I...> /*indices*/) {
    return std::tuple<Ts...>(Wit<Ts>::lift(elements[I])...);
  }
};

// --- Records, enums, flags, variants: declared with a macro per type. ------

namespace detail {

/// One field of a record: its WIT name and its member.
template <typename Struct, typename Member> struct Field {
  std::string_view name;
  Member Struct::*member;
};
template <typename Struct, typename Member>
Field(std::string_view, Member Struct::*) -> Field<Struct, Member>;

/// A C++ identifier as WIT spells it: `_` becomes `-`; a trailing `_` (a C++
/// keyword escaped, `class_`) is dropped.
std::string witName(std::string_view identifier);

template <typename T> struct RecordFields; // specialised by WASMHOST_WIT_RECORD

template <typename T> struct WitRecord {
  static constexpr auto fields() { return RecordFields<T>::fields(); }
  static std::string name() {
    std::string spelled = "record { ";
    size_t index = 0;
    std::apply(
        [&](const auto &...field) {
          ((spelled +=
            (index++ == 0 ? "" : ", ") + witName(field.name) + ": " +
            Wit<std::remove_cvref_t<decltype(std::declval<T>().*(field.member))>>::name()),
           ...);
        },
        fields());
    return spelled + " }";
  }
  static bool matches(const wc::ValType &type) {
    if (!type.is_record()) {
      return false;
    }
    const wc::RecordType record = type.record();
    if (record.field_count() != std::tuple_size_v<decltype(fields())>) {
      return false;
    }
    size_t index = 0;
    return std::apply(
        [&](const auto &...field) {
          return ([&] {
            auto nth = record.field_nth(index++);
            using Member = std::remove_cvref_t<decltype(std::declval<T>().*(field.member))>;
            return nth && nth->first == witName(field.name) && Wit<Member>::matches(nth->second);
          }() && ...);
        },
        fields());
  }
  static wc::Val lower(const T &value) {
    std::vector<std::pair<std::string_view, wc::Val>> entries;
    // The names must outlive the record's construction, which copies them.
    std::array<std::string, std::tuple_size_v<decltype(fields())>> names;
    size_t index = 0;
    std::apply(
        [&](const auto &...field) {
          ((names[index] = witName(field.name),
            entries.emplace_back(names[index],
                                 Wit<std::remove_cvref_t<decltype(value.*(field.member))>>::lower(
                                     value.*(field.member))),
            ++index),
           ...);
        },
        fields());
    return wc::Val(wc::Record(std::move(entries)));
  }
  static T lift(const wc::Val &val) {
    if (!val.is_record() || val.get_record().size() != std::tuple_size_v<decltype(fields())>) {
      wrongShape(name(), val);
    }
    T value{};
    const wc::RecordField *entry = val.get_record().begin();
    std::apply(
        [&](const auto &...field) {
          ((value.*(field.member) = Wit<std::remove_cvref_t<decltype(value.*(field.member))>>::lift(
                (entry++)->value())),
           ...);
        },
        fields());
    return value;
  }
};

template <typename T> struct EnumNames; // specialised by WASMHOST_WIT_ENUM / _FLAGS

template <typename T> std::string caseList(std::string_view keyword) {
  std::string spelled = std::string(keyword) + " { ";
  const auto &names = EnumNames<T>::names;
  for (size_t i = 0; i < names.size(); ++i) {
    spelled += (i == 0 ? "" : ", ") + std::string(names[i]);
  }
  return spelled + " }";
}

/// Whether an enum's or a flags type's names (`EnumType`, `FlagsType`) are
/// `T`'s, in order.
template <typename T, typename NamesType> bool sameNames(const NamesType &type) {
  const auto &names = EnumNames<T>::names;
  if (type.names_count() != names.size()) {
    return false;
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (type.names_nth(i) != names[i]) {
      return false;
    }
  }
  return true;
}

template <typename T> struct WitEnum {
  static std::string name() { return caseList<T>("enum"); }
  static bool matches(const wc::ValType &type) {
    return type.is_enum() && sameNames<T>(type.enum_());
  }
  static wc::Val lower(T value) {
    const auto index = static_cast<size_t>(value);
    if (index >= EnumNames<T>::names.size()) {
      throw WitError(name() + ": " + std::to_string(index) + " is not one of its cases");
    }
    return wc::Val::enum_(EnumNames<T>::names[index]);
  }
  static T lift(const wc::Val &val) {
    if (val.is_enum()) {
      const auto &names = EnumNames<T>::names;
      for (size_t i = 0; i < names.size(); ++i) {
        if (names[i] == val.get_enum()) {
          return static_cast<T>(i);
        }
      }
    }
    wrongShape(name(), val);
  }
};

template <typename T> struct WitFlags {
  using Bits = std::underlying_type_t<T>;
  static_assert(std::is_unsigned_v<Bits>, "a flags type's underlying type is unsigned");
  static std::string name() { return caseList<T>("flags"); }
  static bool matches(const wc::ValType &type) {
    return type.is_flags() && sameNames<T>(type.flags());
  }
  static wc::Val lower(T value) {
    const auto bits = static_cast<Bits>(value);
    const auto &names = EnumNames<T>::names;
    std::vector<wc::Flag> set;
    for (size_t i = 0; i < names.size(); ++i) {
      if ((bits >> i) & 1U) {
        set.emplace_back(names[i]);
      }
    }
    // Only when the flags leave bits of `Bits` unused (a shift by its whole
    // width is undefined).
    if constexpr (EnumNames<T>::names.size() < sizeof(Bits) * 8) {
      if ((bits >> EnumNames<T>::names.size()) != 0) {
        throw WitError(name() + ": bits beyond its " + std::to_string(names.size()) + " flags");
      }
    }
    return wc::Val(wc::Flags(std::move(set)));
  }
  static T lift(const wc::Val &val) {
    if (!val.is_flags()) {
      wrongShape(name(), val);
    }
    const auto &names = EnumNames<T>::names;
    Bits bits = 0;
    for (const wc::Flag &flag : val.get_flags()) {
      size_t i = 0;
      while (i < names.size() && names[i] != flag.name()) {
        ++i;
      }
      if (i == names.size()) {
        wrongShape(name(), val);
      }
      bits |= static_cast<Bits>(Bits{1} << i);
    }
    return static_cast<T>(bits);
  }
};

template <typename T> struct VariantCases; // specialised by WASMHOST_WIT_VARIANT

template <typename... Ts> std::variant<Ts...> &asStdVariant(std::variant<Ts...> &value) {
  return value;
}
template <typename... Ts>
const std::variant<Ts...> &asStdVariant(const std::variant<Ts...> &value) {
  return value;
}

template <typename T> struct WitVariant {
  using Storage = std::remove_cvref_t<decltype(asStdVariant(std::declval<T &>()))>;
  static constexpr size_t kCases = std::variant_size_v<Storage>;
  static constexpr const auto &names() { return VariantCases<T>::names; }
  static_assert(std::tuple_size_v<std::remove_cvref_t<decltype(VariantCases<T>::names)>> == kCases,
                "a variant's WIT case names are as many as its C++ alternatives");

  static std::string name() { return nameFrom(std::make_index_sequence<kCases>{}); }
  static bool matches(const wc::ValType &type) {
    if (!type.is_variant() || type.variant().case_count() != kCases) {
      return false;
    }
    return matchesFrom(type.variant(), std::make_index_sequence<kCases>{});
  }
  static wc::Val lower(const T &value) {
    const Storage &storage = asStdVariant(value);
    return std::visit(
        [&](const auto &alternative) {
          using Alternative = std::remove_cvref_t<decltype(alternative)>;
          return wc::Val(
              wc::Variant(names()[storage.index()], Payload<Alternative>::lower(alternative)));
        },
        storage);
  }
  static T lift(const wc::Val &val) {
    if (!val.is_variant()) {
      wrongShape(name(), val);
    }
    return liftFrom(val.get_variant(), std::make_index_sequence<kCases>{});
  }

private:
  template <size_t... I> static std::string nameFrom(std::index_sequence<I...> /*indices*/) {
    std::string spelled = "variant { ";
    ((spelled += (I == 0 ? "" : ", ") + caseName<I>()), ...);
    return spelled + " }";
  }
  template <size_t I> static std::string caseName() {
    using Alternative = std::variant_alternative_t<I, Storage>;
    if constexpr (std::is_same_v<Alternative, std::monostate>) {
      return std::string(names()[I]);
    } else {
      return std::string(names()[I]) + "(" + Wit<Alternative>::name() + ")";
    }
  }
  template <size_t... I>
  static bool matchesFrom(const wc::VariantType &type, std::index_sequence<I...> /*indices*/) {
    return ([&] {
      auto nth = type.case_nth(I);
      return nth && nth->first == names()[I] &&
             Payload<std::variant_alternative_t<I, Storage>>::matches(nth->second);
    }() && ...);
  }
  template <size_t... I>
  static T liftFrom(const wc::Variant &variant, std::index_sequence<I...> /*indices*/) {
    std::optional<T> lifted;
    // The first case whose name matches is lifted (the fold stops there).
    static_cast<void>(((variant.discriminant() == names()[I]
                            ? (lifted.emplace(std::in_place_index<I>,
                                              Payload<std::variant_alternative_t<I, Storage>>::lift(
                                                  variant.value(), names()[I])),
                               true)
                            : false) ||
                       ...));
    if (!lifted) {
      throw WitError(name() + ": no case '" + std::string(variant.discriminant()) + "'");
    }
    return std::move(*lifted);
  }
};

} // namespace detail

/// Bit operators for a flags type (an enum class declared with
/// WASMHOST_WIT_FLAGS); outside this namespace, bring them in with
/// `using wasmhost::component::operator|;` (and `&`).
template <typename T>
requires requires { detail::EnumNames<T>::kIsFlags; }
constexpr T operator|(T a, T b) {
  using Bits = std::underlying_type_t<T>;
  return static_cast<T>(static_cast<Bits>(a) | static_cast<Bits>(b));
}
template <typename T>
requires requires { detail::EnumNames<T>::kIsFlags; }
constexpr T operator&(T a, T b) {
  using Bits = std::underlying_type_t<T>;
  return static_cast<T>(static_cast<Bits>(a) & static_cast<Bits>(b));
}
/// Whether every flag of `wanted` is set in `flags`.
template <typename T>
requires requires { detail::EnumNames<T>::kIsFlags; }
constexpr bool hasFlags(T flags, T wanted) { return (flags & wanted) == wanted; }

} // namespace wasmhost::component

// The macros are used at global scope; `Type` is fully qualified.

#define WASMHOST_WIT_DETAIL_FIELD(Type, member)                                                    \
  ::wasmhost::component::detail::Field { #member, &Type::member }

/// Declares the struct `Type` a WIT record whose fields are the listed
/// members, in WIT order; a member's WIT name is its name with `_` as `-`
/// (a trailing `_`, a C++ keyword escaped, dropped: `class_` is `class`).
#define WASMHOST_WIT_RECORD(Type, ...)                                                             \
  template <> struct wasmhost::component::detail::RecordFields<Type> {                             \
    static constexpr auto fields() {                                                               \
      using Self = Type;                                                                           \
      return WASMHOST_WIT_DETAIL_FIELDS(Self, __VA_ARGS__);                                        \
    }                                                                                              \
  };                                                                                               \
  template <>                                                                                      \
  struct wasmhost::component::Wit<Type> : wasmhost::component::detail::WitRecord<Type> {}

/// Declares the enum class `Type` (values 0..n-1) a WIT enum with the listed
/// case names, in order.
#define WASMHOST_WIT_ENUM(Type, ...)                                                               \
  template <> struct wasmhost::component::detail::EnumNames<Type> {                                \
    static constexpr std::array names = {__VA_ARGS__};                                             \
  };                                                                                               \
  template <> struct wasmhost::component::Wit<Type> : wasmhost::component::detail::WitEnum<Type> {}

/// Declares the enum class `Type` (an unsigned underlying type, bit i for
/// the i-th name) a WIT flags type with the listed flag names, in order.
#define WASMHOST_WIT_FLAGS(Type, ...)                                                              \
  template <> struct wasmhost::component::detail::EnumNames<Type> {                                \
    static constexpr bool kIsFlags = true;                                                         \
    static constexpr std::array names = {__VA_ARGS__};                                             \
    static_assert(names.size() <= sizeof(std::underlying_type_t<Type>) * 8,                        \
                  "the flags type's underlying type has a bit per flag");                          \
  };                                                                                               \
  template <> struct wasmhost::component::Wit<Type> : wasmhost::component::detail::WitFlags<Type> {}

/// Declares `Type` (a class deriving from `std::variant<Alternatives...>`)
/// a WIT variant whose cases are the listed names, one per alternative in
/// order; an alternative `std::monostate` is a case without a payload.
#define WASMHOST_WIT_VARIANT(Type, ...)                                                            \
  template <> struct wasmhost::component::detail::VariantCases<Type> {                             \
    static constexpr std::array<                                                                   \
        std::string_view,                                                                          \
        std::variant_size_v<std::remove_cvref_t<                                                   \
            decltype(wasmhost::component::detail::asStdVariant(std::declval<Type &>()))>>>         \
        names = {__VA_ARGS__};                                                                     \
  };                                                                                               \
  template <>                                                                                      \
  struct wasmhost::component::Wit<Type> : wasmhost::component::detail::WitVariant<Type> {}

// Up to 16 record fields: WASMHOST_WIT_DETAIL_FIELDS(Self, a, b) is
// std::make_tuple(Field{"a", &Self::a}, Field{"b", &Self::b}).
#define WASMHOST_WIT_DETAIL_FIELDS(Self, ...)                                                      \
  std::make_tuple(WASMHOST_WIT_DETAIL_MAP(WASMHOST_WIT_DETAIL_FIELD, Self, __VA_ARGS__))
#define WASMHOST_WIT_DETAIL_MAP(f, S, ...)                                                         \
  WASMHOST_WIT_DETAIL_PICK(__VA_ARGS__, WASMHOST_WIT_DETAIL_M16, WASMHOST_WIT_DETAIL_M15,          \
                           WASMHOST_WIT_DETAIL_M14, WASMHOST_WIT_DETAIL_M13,                       \
                           WASMHOST_WIT_DETAIL_M12, WASMHOST_WIT_DETAIL_M11,                       \
                           WASMHOST_WIT_DETAIL_M10, WASMHOST_WIT_DETAIL_M9,                        \
                           WASMHOST_WIT_DETAIL_M8, WASMHOST_WIT_DETAIL_M7, WASMHOST_WIT_DETAIL_M6, \
                           WASMHOST_WIT_DETAIL_M5, WASMHOST_WIT_DETAIL_M4, WASMHOST_WIT_DETAIL_M3, \
                           WASMHOST_WIT_DETAIL_M2, WASMHOST_WIT_DETAIL_M1)                         \
  (f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_PICK(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, \
                                 _16, NAME, ...)                                                   \
  NAME
#define WASMHOST_WIT_DETAIL_M1(f, S, a) f(S, a)
#define WASMHOST_WIT_DETAIL_M2(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M1(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M3(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M2(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M4(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M3(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M5(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M4(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M6(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M5(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M7(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M6(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M8(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M7(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M9(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M8(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M10(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M9(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M11(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M10(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M12(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M11(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M13(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M12(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M14(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M13(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M15(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M14(f, S, __VA_ARGS__)
#define WASMHOST_WIT_DETAIL_M16(f, S, a, ...) f(S, a), WASMHOST_WIT_DETAIL_M15(f, S, __VA_ARGS__)

#endif // WASMHOST_COMPONENT_WIT_HH
