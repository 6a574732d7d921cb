// One writer's custom-scalar layout, merged across add_custom_scalar_layout and add_scalars
// calls (the plugin shows only the last layout of a run, so every write carries the whole of
// it). Thread-safe. Internal to tblog; defined in custom_scalars.cpp.
#pragma once

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "tblog/layout.hpp"

namespace tblog::detail {

class LayoutRegistry {
 public:
  // Merges `categories` in (a category of the same title is replaced) and returns the whole
  // layout to write, or nothing when it did not change.
  std::optional<Layout> merge(const Layout& categories);
  // True the first time `main_tag` is passed to add_scalars: its chart joins the layout then.
  bool first_scalar_group(std::string_view main_tag);

 private:
  std::mutex mutex_;
  Layout layout_;                                     // guarded by mutex_
  std::set<std::string, std::less<>> scalar_groups_;  // guarded by mutex_
};

}  // namespace tblog::detail
