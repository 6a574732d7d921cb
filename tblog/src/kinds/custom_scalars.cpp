// The custom-scalars plugin: add_custom_scalar_layout, the layout merge, and its event (the
// Layout proto as a string tensor under one fixed tag), and reading the layout back.
#include <algorithm>

#include "event_encoding_helpers.hpp"
#include "kind_codec.hpp"
#include "layout_registry.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/plugins.pb.h"
#include "wall_clock.hpp"

namespace tblog {
namespace detail {
namespace {

// The tag the custom-scalars plugin looks for.
constexpr const char* kCustomScalarsTag = "custom_scalars__config__";

bool same_chart(const LayoutChart& a, const LayoutChart& b) {
  return a.title == b.title && a.multiline_tags == b.multiline_tags &&
         std::equal(a.margin_series.begin(), a.margin_series.end(), b.margin_series.begin(),
                    b.margin_series.end(), [](const MarginSeries& x, const MarginSeries& y) {
                      return x.value == y.value && x.lower == y.lower && x.upper == y.upper;
                    });
}

bool same_category(const LayoutCategory& a, const LayoutCategory& b) {
  return a.closed == b.closed &&
         std::equal(a.charts.begin(), a.charts.end(), b.charts.begin(), b.charts.end(), same_chart);
}

void check_layout(const Layout& layout) {
  for (const auto& category : layout) {
    if (category.title.empty())
      throw InvalidArgument("add_custom_scalar_layout: category title is empty");
    for (const auto& chart : category.charts) {
      if (chart.multiline_tags.empty() && chart.margin_series.empty()) {
        throw InvalidArgument("add_custom_scalar_layout: chart '" + chart.title + "' has no tags");
      }
    }
  }
}

std::string custom_scalar_layout_event(const Layout& layout, double wall_time) {
  pb::Layout proto;
  for (const auto& category : layout) {
    auto* c = proto.add_category();
    c->set_title(category.title);
    c->set_closed(category.closed);
    for (const auto& chart : category.charts) {
      auto* ch = c->add_chart();
      ch->set_title(chart.title);
      if (!chart.margin_series.empty()) {
        auto* margin = ch->mutable_margin();
        for (const auto& s : chart.margin_series) {
          auto* series = margin->add_series();
          series->set_value(s.value);
          series->set_lower(s.lower);
          series->set_upper(s.upper);
        }
      } else {
        auto* multiline = ch->mutable_multiline();
        for (const auto& tag : chart.multiline_tags) multiline->add_tag(tag);
      }
    }
  }
  pb::Event event;
  auto* value = new_value(event, kCustomScalarsTag, 0, wall_time);
  set_metadata(value, "custom_scalars");
  auto* tensor = value->mutable_tensor();
  tensor->set_dtype(pb::DT_STRING);
  tensor->mutable_tensor_shape();
  tensor->add_string_val(proto.SerializeAsString());
  return serialize(event);
}

}  // namespace

std::optional<Layout> LayoutRegistry::merge(const Layout& categories) {
  std::lock_guard<std::mutex> lock(mutex_);
  bool changed = false;
  for (const auto& category : categories) {
    auto same = std::find_if(layout_.begin(), layout_.end(),
                             [&](const LayoutCategory& c) { return c.title == category.title; });
    if (same == layout_.end()) {
      layout_.push_back(category);
      changed = true;
    } else if (!same_category(*same, category)) {
      *same = category;
      changed = true;
    }
  }
  if (!changed) return std::nullopt;
  return layout_;
}

bool LayoutRegistry::first_scalar_group(std::string_view main_tag) {
  std::lock_guard<std::mutex> lock(mutex_);
  return scalar_groups_.emplace(main_tag).second;
}

}  // namespace detail

void SummaryWriter::add_custom_scalar_layout(const Layout& layout) {
  detail::check_layout(layout);
  // The plugin shows the last layout of each run, so every write carries the whole merged one.
  if (auto merged = impl_->layouts().merge(layout)) {
    impl_->add_prebuilt(detail::kCustomScalarsTag,
                        detail::custom_scalar_layout_event(*merged, detail::now_seconds()),
                        "add_custom_scalar_layout");
  }
}

}  // namespace tblog

// Reading: the layout's string tensor, as written.
namespace tblog::detail {
namespace {

void decode_layout(const pb::Summary::Value& value, SummaryValue& v) {
  if (value.value_case() == pb::Summary::Value::kTensor)
    v.data = decode_summary_tensor(value.tensor(), v);
}

std::string describe_layout(const SummaryValue&) {
  return "custom scalar layout";
}

std::string describe_layout_json(const SummaryValue&) {
  return {};
}

}  // namespace

extern const KindCodec kCustomScalarsCodec{"custom_scalars", ValueKind::kCustomScalars,
                                           "custom_scalars", decode_layout,
                                           describe_layout,  describe_layout_json};

}  // namespace tblog::detail
