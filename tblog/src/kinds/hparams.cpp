// The HParams plugin: add_hparams_experiment (the table's columns), add_hparams_session_start
// (one run's values) and add_hparams_session_end, their checks and their events (plugin data on
// a null tensor under the tags the plugin looks for). Built on the caller's thread: rare and small.
// Reading them back says no more than their size.
#include "event_encoding_helpers.hpp"
#include "kind_codec.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/hparams.pb.h"
#include "wall_clock.hpp"

namespace tblog {
namespace {

constexpr const char* kExperimentTag = "_hparams_/experiment";
constexpr const char* kSessionStartTag = "_hparams_/session_start_info";
constexpr const char* kSessionEndTag = "_hparams_/session_end_info";

google::protobuf::Value to_proto_value(const HParamValue& v) {
  google::protobuf::Value out;
  if (const auto* d = std::get_if<double>(&v)) out.set_number_value(*d);
  if (const auto* s = std::get_if<std::string>(&v)) out.set_string_value(*s);
  if (const auto* b = std::get_if<bool>(&v)) out.set_bool_value(*b);
  return out;
}

pb::hparams::DataType hparam_type(const HParamDomain& domain) {
  if (domain.is_interval) return pb::hparams::DATA_TYPE_FLOAT64;
  if (domain.discrete.empty()) return pb::hparams::DATA_TYPE_UNSET;
  switch (domain.discrete.front().index()) {
    case 0:
      return pb::hparams::DATA_TYPE_FLOAT64;
    case 1:
      return pb::hparams::DATA_TYPE_STRING;
    default:
      return pb::hparams::DATA_TYPE_BOOL;
  }
}

std::string hparams_event(const char* tag, const pb::hparams::HParamsPluginData& data,
                          double wall_time) {
  pb::Event event;
  auto* value = detail::new_value(event, tag, 0, wall_time);
  detail::set_metadata(value, "hparams", data.SerializeAsString());
  detail::set_null_tensor(value);
  return detail::serialize(event);
}

void check_experiment(const HParamsExperiment& experiment) {
  for (const auto& domain : experiment.hparams) {
    if (domain.name.empty()) throw InvalidArgument("add_hparams_experiment: hparam name is empty");
    for (const auto& v : domain.discrete) {
      if (v.index() != domain.discrete.front().index()) {
        throw InvalidArgument("add_hparams_experiment: hparam '" + domain.name +
                              "' mixes value types in its domain");
      }
    }
  }
  for (const auto& metric : experiment.metrics) {
    if (metric.tag.empty()) throw InvalidArgument("add_hparams_experiment: metric tag is empty");
  }
}

pb::hparams::HParamsPluginData experiment_data(const HParamsExperiment& experiment,
                                               double wall_time) {
  pb::hparams::HParamsPluginData data;
  auto* exp = data.mutable_experiment();
  exp->set_name(experiment.name);
  exp->set_description(experiment.description);
  exp->set_time_created_secs(wall_time);
  for (const auto& domain : experiment.hparams) {
    auto* info = exp->add_hparam_infos();
    info->set_name(domain.name);
    info->set_display_name(domain.display_name);
    info->set_description(domain.description);
    info->set_type(hparam_type(domain));
    if (domain.is_interval) {
      info->mutable_domain_interval()->set_min_value(domain.min_value);
      info->mutable_domain_interval()->set_max_value(domain.max_value);
    } else if (!domain.discrete.empty()) {
      auto* list = info->mutable_domain_discrete();
      for (const auto& v : domain.discrete) *list->add_values() = to_proto_value(v);
    }
  }
  for (const auto& metric : experiment.metrics) {
    auto* info = exp->add_metric_infos();
    info->mutable_name()->set_tag(metric.tag);
    info->mutable_name()->set_group(metric.group);
    info->set_display_name(metric.display_name);
    info->set_description(metric.description);
  }
  return data;
}

}  // namespace

void SummaryWriter::add_hparams_experiment(const HParamsExperiment& experiment) {
  check_experiment(experiment);
  const double now = detail::now_seconds();
  impl_->add_prebuilt(kExperimentTag,
                      hparams_event(kExperimentTag, experiment_data(experiment, now), now),
                      "add_hparams_experiment");
}

void SummaryWriter::add_hparams_session_start(const HParams& hparams, const std::string& group) {
  for (const auto& [name, value] : hparams) {
    if (name.empty()) throw InvalidArgument("add_hparams_session_start: hparam name is empty");
  }
  pb::hparams::HParamsPluginData data;
  auto* start = data.mutable_session_start_info();
  for (const auto& [name, value] : hparams)
    (*start->mutable_hparams())[name] = to_proto_value(value);
  start->set_group_name(group);
  const double now = detail::now_seconds();
  start->set_start_time_secs(now);
  impl_->add_prebuilt(kSessionStartTag, hparams_event(kSessionStartTag, data, now),
                      "add_hparams_session_start");
}

void SummaryWriter::add_hparams_session_end(SessionStatus status) {
  pb::hparams::HParamsPluginData data;
  auto* end = data.mutable_session_end_info();
  end->set_status(static_cast<pb::hparams::Status>(status));
  const double now = detail::now_seconds();
  end->set_end_time_secs(now);
  impl_->add_prebuilt(kSessionEndTag, hparams_event(kSessionEndTag, data, now),
                      "add_hparams_session_end");
}

}  // namespace tblog

// Reading: what an HParams value says is in its plugin data (the experiment, a session's values
// or its end); its tensor is empty.
namespace tblog::detail {
namespace {

void decode_hparams(const pb::Summary::Value&, SummaryValue&) {}

std::string describe_hparams(const SummaryValue& v) {
  return "hparams (" + std::to_string(v.plugin_content.size()) + " bytes)";
}

std::string describe_hparams_json(const SummaryValue&) {
  return {};
}

}  // namespace

extern const KindCodec kHParamsCodec{"hparams",      ValueKind::kHParams, "hparams",
                                     decode_hparams, describe_hparams,    describe_hparams_json};

}  // namespace tblog::detail
