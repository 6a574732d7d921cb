// The data server's parts, each against what TensorBoard's own data server does.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <mutex>

#include "blob_key.hpp"
#include "data_compat.hpp"
#include "downsample.hpp"
#include "names.hpp"
#include "reservoir.hpp"
#include "run_loader.hpp"
#include "server_options.hpp"
#include "tblog/event.pb.h"
#include "tblog/plugins.pb.h"
#include "tblog/record.hpp"
#include "tblog/tensor.pb.h"
#include "test_util.hpp"

namespace tblog::serve {
namespace {

struct P {
  std::int64_t step;
  int value;
};

std::vector<std::int64_t> steps(const Reservoir<P>& r) {
  std::vector<std::int64_t> out;
  for (const P& p : r.points()) out.push_back(p.step);
  return out;
}

TEST(Reservoir, KeepsEverythingUpToItsCapacity) {
  Reservoir<P> r(5);
  for (int i = 0; i < 5; ++i) r.offer({i, i});
  EXPECT_EQ(steps(r), (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
}

TEST(Reservoir, PastItsCapacityKeepsASortedSampleWithTheNewest) {
  Reservoir<P> r(10);
  for (int i = 0; i < 1000; ++i) {
    r.offer({i, i});
    r.settle();
    ASSERT_EQ(r.points().back().step, i);  // the newest, always
    ASSERT_LE(r.points().size(), 10u);
  }
  const auto kept = steps(r);
  EXPECT_TRUE(std::is_sorted(kept.begin(), kept.end()));
  EXPECT_EQ(kept.size(), 10u);
  // Not just the last ten: a sample of the whole stream.
  EXPECT_LT(kept.front(), 900);
}

TEST(Reservoir, AnEarlierStepPreemptsWhatFollowedIt) {
  Reservoir<P> r(100);
  for (int i = 0; i < 10; ++i) r.offer({i, i});
  r.offer({4, 40});  // the job restarted from step 4
  r.settle();
  EXPECT_EQ(steps(r), (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(r.points().back().value, 40);
  r.preempt(2);  // a SessionLog START at step 2
  EXPECT_EQ(steps(r), (std::vector<std::int64_t>{0, 1}));
}

TEST(Reservoir, EvictionsAreUniformOverTheStream) {
  // Each of 2,000 steps should survive in a 100-point reservoir about 5% of the time: sum over
  // many seeds' worth of streams is not possible (the seed is fixed), so check the halves: a
  // uniform sample keeps about as many from the first half as from the second.
  Reservoir<P> r(100);
  for (int i = 0; i < 2000; ++i) r.offer({i, i});
  r.settle();
  const auto kept = steps(r);
  const auto first_half = std::count_if(kept.begin(), kept.end(), [](auto s) { return s < 1000; });
  EXPECT_EQ(kept.size(), 100u);
  EXPECT_GT(first_half, 30);
  EXPECT_LT(first_half, 70);
}

TEST(Reservoir, CapacityZeroKeepsNothingAndUnboundedEverything) {
  Reservoir<P> none(0), all(kUnbounded);
  for (int i = 0; i < 5000; ++i) {
    none.offer({i, i});
    all.offer({i, i});
  }
  all.settle();
  EXPECT_TRUE(none.points().empty());
  EXPECT_EQ(all.points().size(), 5000u);
}

TEST(Downsample, AllNoneOrASampleEndingWithTheNewest) {
  EXPECT_EQ(downsample(5, 10), (std::vector<std::size_t>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(downsample(5, 0).empty());
  EXPECT_TRUE(downsample(0, 3).empty());
  const auto kept = downsample(10000, 100);
  EXPECT_EQ(kept.size(), 100u);
  EXPECT_EQ(kept.back(), 9999u);
  EXPECT_TRUE(std::is_sorted(kept.begin(), kept.end()));
  EXPECT_EQ(std::adjacent_find(kept.begin(), kept.end()), kept.end());
  EXPECT_EQ(downsample(10000, 100), kept);  // the same request, the same points
  EXPECT_EQ(downsample(3, 1), (std::vector<std::size_t>{2}));
}

TEST(BlobKey, EncodesAsTensorBoardsDataServerDoes) {
  // base64url("[\"123\",\"mnist\",\"input_image\",777,123]"), no padding.
  const BlobKey key{"123", "mnist", "input_image", 777, 123};
  EXPECT_EQ(encode_blob_key(key), base64url_encode(R"(["123","mnist","input_image",777,123])"));
  const auto back = decode_blob_key(encode_blob_key(key));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->run, "mnist");
  EXPECT_EQ(back->tag, "input_image");
  EXPECT_EQ(back->step, 777);
  EXPECT_EQ(back->index, 123u);
  for (int n = 0; n < 10; ++n) {
    const std::string encoded = encode_blob_key({std::string(n, 'x'), "r", "t", -5, 0});
    EXPECT_EQ(encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789-_"),
              std::string::npos);
    EXPECT_TRUE(decode_blob_key(encoded));
  }
  // Names with quotes, control characters and non-ASCII survive.
  const auto odd = decode_blob_key(encode_blob_key({"", "a\"b\n\x01", "\xC3\xA9t\xC3\xA9", 1, 2}));
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->run, "a\"b\n\x01");
  EXPECT_EQ(odd->tag, "\xC3\xA9t\xC3\xA9");
}

TEST(BlobKey, RefusesWhatIsNotOne) {
  for (const char* bad : {"", "!!!", "A", "AAAA", "W10", "e30"}) {
    EXPECT_FALSE(decode_blob_key(bad)) << bad;
  }
  EXPECT_FALSE(decode_blob_key(base64url_encode(R"(["","r","t",1,-1])")));
  EXPECT_FALSE(decode_blob_key(base64url_encode(R"(["","r","t",1])")));
  EXPECT_FALSE(decode_blob_key(base64url_encode(R"(["","r",3,1,1])")));
}

TEST(Base64Url, RoundTripsEveryLength) {
  std::string bytes;
  for (int n = 0; n < 300; ++n) {
    EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
    bytes += static_cast<char>(n * 37);
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Names, BadUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(valid_utf8("plain/tag"), "plain/tag");
  EXPECT_EQ(valid_utf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(valid_utf8("bad\xFF!"), "bad\xEF\xBF\xBD!");
  EXPECT_EQ(valid_utf8("\xC3"), "\xEF\xBF\xBD");
}

pb::Summary::Value simple(float v) {
  pb::Summary::Value value;
  value.set_tag("t");
  value.set_simple_value(v);
  return value;
}

TEST(DataCompat, LegacyValuesGetTensorBoardsMetadata) {
  pb::Summary::Value value = simple(0.5f);
  value.mutable_metadata()->mutable_plugin_data()->set_plugin_name("ignored");
  auto md = initial_metadata(value);
  EXPECT_EQ(md.plugin_data().plugin_name(), "scalars");
  EXPECT_EQ(data_class_of(md), DataClass::kScalar);
  EXPECT_EQ(to_scalar(value), 0.5f);

  pb::Summary::Value image;
  image.mutable_image()->set_width(3);
  image.mutable_image()->set_height(2);
  image.mutable_image()->set_encoded_image_string("png");
  md = initial_metadata(image);
  EXPECT_EQ(md.plugin_data().plugin_name(), "images");
  EXPECT_EQ(data_class_of(md), DataClass::kBlobSequence);
  pb::ImagePluginData content;
  ASSERT_TRUE(content.ParseFromString(md.plugin_data().content()));
  EXPECT_TRUE(content.converted_to_tensor());
  EXPECT_EQ(to_blob_sequence(image, "images"), (std::vector<std::string>{"3", "2", "png"}));

  pb::Summary::Value text;
  text.mutable_metadata()->mutable_plugin_data()->set_plugin_name("text");
  text.mutable_tensor()->set_dtype(pb::DT_STRING);
  EXPECT_EQ(data_class_of(initial_metadata(text)), DataClass::kTensor);
  text.mutable_metadata()->set_data_class(pb::DATA_CLASS_BLOB_SEQUENCE);  // stated: taken as is
  EXPECT_EQ(data_class_of(initial_metadata(text)), DataClass::kBlobSequence);
}

TEST(DataCompat, ALegacyHistogramBecomesTensorBoardsTensor) {
  pb::Summary::Value value;
  pb::HistogramProto& h = *value.mutable_histo();
  h.set_min(0.5);
  h.set_max(2.5);
  for (double limit : {0.0, 1.0, 2.0}) h.add_bucket_limit(limit);
  for (double count : {1.0, 2.0, 3.0}) h.add_bucket(count);
  EXPECT_EQ(initial_metadata(value).plugin_data().plugin_name(), "histograms");
  pb::TensorProto tensor;
  ASSERT_TRUE(tensor.ParseFromString(*to_tensor(value)));
  ASSERT_EQ(tensor.tensor_content().size(), 9 * sizeof(double));
  double rows[9];
  std::memcpy(rows, tensor.tensor_content().data(), sizeof rows);
  // First left edge the min, last right edge the max.
  EXPECT_EQ(std::vector<double>(rows, rows + 9),
            (std::vector<double>{0.5, 0.0, 1.0, 0.0, 1.0, 2.0, 1.0, 2.5, 3.0}));
  h.add_bucket(4.0);  // counts and limits that do not pair up: data loss
  EXPECT_FALSE(to_tensor(value));
}

TEST(DataCompat, OnlyRankZeroFloatTensorsAreScalars) {
  pb::Summary::Value value;
  pb::TensorProto& t = *value.mutable_tensor();
  t.set_dtype(pb::DT_FLOAT);
  t.add_float_val(0.25f);
  EXPECT_EQ(to_scalar(value), 0.25f);
  t.add_float_val(1.0f);
  EXPECT_FALSE(to_scalar(value));
  t.clear_float_val();
  const float f = 2.0f;
  t.set_tensor_content(std::string(reinterpret_cast<const char*>(&f), sizeof f));
  EXPECT_EQ(to_scalar(value), 2.0f);
  t.mutable_tensor_shape()->add_dim()->set_size(1);
  EXPECT_FALSE(to_scalar(value));
  t.clear_tensor_shape();
  t.set_dtype(pb::DT_DOUBLE);
  EXPECT_FALSE(to_scalar(value));
}

TEST(DataCompat, AudioTensorsDropTheirLabels) {
  pb::Summary::Value value;
  pb::TensorProto& t = *value.mutable_tensor();
  t.set_dtype(pb::DT_STRING);
  t.mutable_tensor_shape()->add_dim()->set_size(2);
  t.mutable_tensor_shape()->add_dim()->set_size(2);
  for (const char* s : {"wav1", "label1", "wav2", "label2"}) t.add_string_val(s);
  EXPECT_EQ(to_blob_sequence(value, "audio"), (std::vector<std::string>{"wav1", "wav2"}));
  EXPECT_FALSE(to_blob_sequence(value, "images"));
}

TEST(ServerOptions, SamplesPerPluginAndReload) {
  const SamplingPlan plan = parse_samples_per_plugin("scalars=500,images=all,audio=0");
  EXPECT_EQ(plan.capacity("scalars", DataClass::kScalar), 500u);
  EXPECT_EQ(plan.capacity("images", DataClass::kBlobSequence), kUnbounded);
  EXPECT_EQ(plan.capacity("audio", DataClass::kBlobSequence), 0u);
  EXPECT_EQ(plan.capacity("histograms", DataClass::kTensor), 100u);
  EXPECT_EQ(plan.capacity("x", DataClass::kUnknown), 0u);
  EXPECT_TRUE(parse_samples_per_plugin("").per_plugin.empty());
  for (const char* bad :
       {"scalars", "=5", "a=b", "a=1,", "a=1=2", "a=-1", "a=99999999999999999999"}) {
    EXPECT_THROW(parse_samples_per_plugin(bad), std::invalid_argument) << bad;
  }
  EXPECT_EQ(parse_reload("once"), std::nullopt);
  EXPECT_EQ(parse_reload("2.5"), 2.5);
  for (const char* bad : {"", "-1", "soon", "nan", "inf"}) {
    EXPECT_THROW(parse_reload(bad), std::invalid_argument) << bad;
  }
}

std::string scalar_record(std::int64_t step, float v) {
  pb::Event event;
  event.set_wall_time(1700000000.0 + static_cast<double>(step));
  event.set_step(step);
  *event.mutable_summary()->add_value() = simple(v);
  std::string record;
  append_record(record, event.SerializeAsString());
  return record;
}

TEST(RunLoader, ReadsOnlyWhatWasAppendedAndWaitsForATornTail) {
  test::TempDir dir;
  const std::string path = dir.path() + "/events.out.tfevents.1.x";
  auto data = std::make_shared<RunData>();
  SamplingPlan plan;
  std::vector<std::string> warnings;
  RunLoader loader(data, plan, [&](const std::string& w) { warnings.push_back(w); });
  std::ofstream out(path, std::ios::binary);
  out << scalar_record(0, 1.0f) << scalar_record(1, 2.0f) << std::flush;
  EXPECT_EQ(loader.reload({path}, false), 2u);
  const std::string third = scalar_record(2, 3.0f);
  out << third.substr(0, 10) << std::flush;  // a writer mid-record
  EXPECT_EQ(loader.reload({path}, false), 0u);
  out << third.substr(10) << std::flush;
  EXPECT_EQ(loader.reload({path}, false), 1u);  // the one record, not the file again
  EXPECT_EQ(loader.reload({path}, false), 0u);
  std::shared_lock lock(data->mutex);
  const auto& points = std::get<ScalarReservoir>(data->series.at("t").points).points();
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[2].value, 3.0f);
  EXPECT_EQ(data->start_time, 1700000000.0);
  EXPECT_TRUE(warnings.empty());
}

}  // namespace
}  // namespace tblog::serve
