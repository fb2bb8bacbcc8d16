// Enum values and their names, kept as one table instead of a switch per
// direction. For an enum numbered 0, 1, 2, … a table of names in declaration
// order serves (name_at). Otherwise a table of rows: row_of() finds a value's
// row, name_of() its name, value_of() the value a name stands for; a row is any
// struct with a `value` member (and a `name` for name_of/value_of), so a table
// may carry more columns.
#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>
#include <type_traits>

namespace banwatch {

// The name of `value` in `names`, listed in the enum's declaration order, or
// `fallback` past the table's end.
template <std::size_t N, typename E>
constexpr std::string_view name_at(const std::string_view (&names)[N], E value, std::string_view fallback) noexcept {
  const auto index = static_cast<std::size_t>(static_cast<std::underlying_type_t<E>>(value));
  return index < N ? names[index] : fallback;
}

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

// The first row of `table` for `value`, or nullptr.
template <typename Row, std::size_t N, typename E>
constexpr const Row* row_of(const Row (&table)[N], E value) noexcept {
  for (const Row& row : table) {
    if (row.value == value) return &row;
  }
  return nullptr;
}

// The name of `value` in `table`, or `fallback` when no row has it.
template <typename Row, std::size_t N, typename E>
constexpr std::string_view name_of(const Row (&table)[N], E value, std::string_view fallback) noexcept {
  const Row* row = row_of(table, value);
  return row ? std::string_view(row->name) : fallback;
}

// The value of the first row named `name` (exactly), or nullopt.
template <typename Row, std::size_t N>
constexpr auto value_of(const Row (&table)[N], std::string_view name) noexcept -> std::optional<decltype(Row::value)> {
  for (const Row& row : table) {
    if (row.name == name) return row.value;
  }
  return std::nullopt;
}

}  // namespace banwatch
