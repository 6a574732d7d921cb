// Every kind beyond scalars/histograms/images/text, written by SummaryWriter and read back by
// tblog's reader; bad input refused on the caller's thread without losing what was written.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "tblog/error.hpp"
#include "tblog/plugins.pb.h"
#include "tblog/reader.hpp"
#include "tblog/summary_writer.hpp"
#include "tblog/value_views.hpp"
#include "test_util.hpp"

namespace tblog {
namespace {

std::vector<Event> events_of(const std::string& dir) {
  std::vector<Event> all;
  for (const auto& run : find_runs(dir)) {
    for (const auto& file : run.event_files) {
      for (auto& e : read_events(file)) all.push_back(std::move(e));
    }
  }
  return all;
}

const SummaryValue* find_value(const std::vector<Event>& events, const std::string& tag,
                               std::int64_t step = 0) {
  for (const auto& e : events) {
    if (e.step != step) continue;
    for (const auto& v : e.values) {
      if (v.tag == tag) return &v;
    }
  }
  return nullptr;
}

template <typename Call>
std::string error_of(Call&& call) {
  try {
    call();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "no error";
}

TEST(SummaryKinds, PrCurveRoundTrip) {
  test::TempDir dir;
  const std::vector<float> p = {0.1f, 0.4f, 0.35f, 0.8f};
  const std::vector<bool> l = {false, false, true, true};
  {
    SummaryWriter w(dir.path());
    w.add_pr_curve("pr", p, l, 3, {3, {}, std::nullopt});
    w.add_pr_curves("per_class", {0.9f, 0.1f, 0.2f, 0.8f}, {0, 1}, {"yes", "no"}, 0);
  }
  const auto events = events_of(dir.path());
  const SummaryValue* v = find_value(events, "pr", 3);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->kind, ValueKind::kPrCurve);
  EXPECT_EQ(v->tensor()->shape, (std::vector<std::int64_t>{6, 3}));
  const PrCurveData c = compute_pr_curve(p, l, {3, {}, std::nullopt});
  std::vector<double> expected;
  for (const auto* row : {&c.true_positives, &c.false_positives, &c.true_negatives,
                          &c.false_negatives, &c.precision, &c.recall})
    expected.insert(expected.end(), row->begin(), row->end());
  EXPECT_EQ(v->tensor()->numbers, expected);
  pb::PrCurvePluginData data;
  ASSERT_TRUE(data.ParseFromString(v->plugin_content));
  EXPECT_EQ(data.num_thresholds(), 3u);
  const SummaryValue* yes = find_value(events, "per_class/yes");
  const SummaryValue* no = find_value(events, "per_class/no");
  ASSERT_TRUE(yes && no);
  EXPECT_EQ(yes->tensor()->shape, (std::vector<std::int64_t>{6, 201}));
  EXPECT_EQ(yes->tensor()->numbers[0], 1);   // one true "yes" row, predicted at 0.9
  EXPECT_EQ(no->tensor()->numbers[201], 1);  // one false positive for "no": row 0 scored 0.1
}

TEST(SummaryKinds, AudioRoundTrip) {
  test::TempDir dir;
  const Audio clip{{0.f, 0.5f, -0.5f, 1.f}, 1, 8000};
  {
    SummaryWriter w(dir.path());
    w.add_audio("voice", clip, 7, "*hello*");
  }
  const auto events = events_of(dir.path());
  const SummaryValue* v = find_value(events, "voice", 7);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->kind, ValueKind::kAudio);
  ASSERT_EQ(v->blobs()->blobs.size(), 1u);
  EXPECT_EQ(v->blobs()->blobs[0], encode_wav(clip));
  EXPECT_EQ(v->labels[0], "*hello*");
}

TEST(SummaryKinds, ImageSamplesAndVideoRoundTrip) {
  test::TempDir dir;
  std::vector<Image> images;
  for (int k = 0; k < 3; ++k)
    images.push_back({2, 3, 1, std::vector<std::uint8_t>(6, static_cast<std::uint8_t>(k * 50))});
  {
    SummaryWriter w(dir.path());
    w.add_images("batch", images, 1);
    w.add_video("clip", images, 1, {2, true, std::nullopt});
  }
  const auto events = events_of(dir.path());
  const SummaryValue* batch = find_value(events, "batch", 1);
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(batch->kind, ValueKind::kImage);
  EXPECT_EQ(images_of((*batch)).width, 3);
  EXPECT_EQ(images_of((*batch)).height, 2);
  ASSERT_EQ(images_of((*batch)).encoded.size(), 3u);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(images_of((*batch)).encoded[k], encode_png(images[k]));
  const SummaryValue* video = find_value(events, "clip", 1);
  ASSERT_NE(video, nullptr);
  ASSERT_EQ(images_of((*video)).encoded.size(), 1u);
  EXPECT_EQ(images_of((*video)).encoded[0], encode_gif(images, {2, true, std::nullopt}));
}

TEST(SummaryKinds, MeshRoundTrip) {
  test::TempDir dir;
  Mesh mesh;
  mesh.vertices = std::vector<float>{0, 0, 0, 1, 0, 0, 0, 1, 0};
  mesh.faces = {0, 1, 2};
  mesh.colors = {255, 0, 0, 0, 255, 0, 0, 0, 255};
  mesh.config_json = R"({"camera": {"cls": "PerspectiveCamera", "fov": 75}})";
  {
    SummaryWriter w(dir.path());
    w.add_mesh("triangle", mesh, 2);
  }
  const auto events = events_of(dir.path());
  const SummaryValue* vertices = find_value(events, "triangle_VERTEX", 2);
  const SummaryValue* faces = find_value(events, "triangle_FACE", 2);
  const SummaryValue* colors = find_value(events, "triangle_COLOR", 2);
  ASSERT_TRUE(vertices && faces && colors);
  EXPECT_EQ(mesh_part_of((*vertices)).mesh, "triangle");
  EXPECT_EQ(mesh_part_of((*faces)).part, "FACE");
  EXPECT_EQ(vertices->tensor()->numbers, (std::vector<double>{0, 0, 0, 1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(faces->tensor()->numbers, (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(colors->tensor()->numbers, (std::vector<double>{255, 0, 0, 0, 255, 0, 0, 0, 255}));
  EXPECT_EQ(colors->tensor()->shape, (std::vector<std::int64_t>{1, 3, 3}));
  pb::MeshPluginData data;
  ASSERT_TRUE(data.ParseFromString(colors->plugin_content));
  EXPECT_EQ(data.components(), (1u << 1) | (1u << 2) | (1u << 3));
  EXPECT_EQ(data.json_config(), mesh.config_json);
}

TEST(SummaryKinds, GraphWithScopesAndRunMetadataRoundTrip) {
  test::TempDir dir;
  GraphBuilder g;
  g.add("x", "Input").output_shapes = {{-1, 4}};
  {
    auto layer = g.scope("layer");
    {
      auto inner = g.scope("inner");
      EXPECT_EQ(g.full_name("w"), "layer/inner/w");
    }
    g.add("w", "Parameter").attributes = {{"trainable", true},
                                          {"init", std::string("xavier")},
                                          {"shape", std::vector<std::int64_t>{4, 2}},
                                          {"scale", 0.5},
                                          {"count", std::int64_t{8}}};
    g.add("matmul", "MatMul", {"x", "^layer/w", "layer/w:0"}).device = "/device:CPU:0";
  }
  {
    SummaryWriter w(dir.path());
    w.add_graph(g.graph());
    w.add_run_metadata("step_5", {{"layer/matmul", 10, 20, 300}}, 5);
  }
  const auto events = events_of(dir.path());
  const Event* with_graph = nullptr;
  const Event* with_stats = nullptr;
  for (const auto& e : events) {
    if (e.has_graph) with_graph = &e;
    if (!e.run_metadata_tag.empty()) with_stats = &e;
  }
  ASSERT_TRUE(with_graph && with_stats);
  const auto& nodes = with_graph->graph.nodes;
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[1].name, "layer/w");
  EXPECT_EQ(nodes[2].inputs, (std::vector<std::string>{"x", "^layer/w", "layer/w:0"}));
  EXPECT_EQ(nodes[2].device, "/device:CPU:0");
  EXPECT_EQ(nodes[0].output_shapes, (std::vector<std::vector<std::int64_t>>{{-1, 4}}));
  EXPECT_EQ(std::get<bool>(nodes[1].attributes.at("trainable")), true);
  EXPECT_EQ(std::get<std::string>(nodes[1].attributes.at("init")), "xavier");
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(nodes[1].attributes.at("shape")),
            (std::vector<std::int64_t>{4, 2}));
  EXPECT_EQ(std::get<double>(nodes[1].attributes.at("scale")), 0.5);
  EXPECT_EQ(std::get<std::int64_t>(nodes[1].attributes.at("count")), 8);
  EXPECT_EQ(with_stats->step, 5);
  EXPECT_EQ(with_stats->run_metadata_tag, "step_5");
  ASSERT_EQ(with_stats->run_metadata.size(), 1u);
  EXPECT_EQ(with_stats->run_metadata[0].duration_micros, 20);
  EXPECT_EQ(with_stats->run_metadata[0].memory_bytes, 300);
}

// A graph's bytes are the same in every run: its nodes' attributes (a protobuf map, written in
// hash table order unless asked otherwise) come out sorted by name.
TEST(SummaryKinds, AGraphsAttributesAreWrittenInOneOrder) {
  test::TempDir dir;
  GraphBuilder g;
  GraphNode& node = g.add("w", "Parameter");
  node.output_shapes = {{4, 2}};
  for (int i = 0; i < 12; ++i)
    node.attributes["attribute_" + std::to_string(10 + i)] = std::int64_t{i};
  std::string path;
  {
    SummaryWriter w(dir.path());
    w.add_graph(g.graph());
    path = w.path();
  }
  const std::string bytes = test::read_file(path);
  std::size_t last = bytes.find("_output_shapes");
  ASSERT_NE(last, std::string::npos);
  for (int i = 0; i < 12; ++i) {
    const std::size_t at = bytes.find("attribute_" + std::to_string(10 + i));
    ASSERT_NE(at, std::string::npos);
    EXPECT_GT(at, last) << "attribute_" << 10 + i << " is out of order";
    last = at;
  }
}

TEST(SummaryKinds, ConceptualGraphRoundTripAsKerasModelJson) {
  test::TempDir dir;
  ModelLayer head{"head", ""};  // a model's class defaults to Sequential
  head.layers = {{"fc", "Linear"}};
  ModelLayer model{"net", "Functional"};
  model.layers = {{"x", "InputLayer", {}, {}, "float32"},
                  {"conv \"a\"", "Conv2d", {}, {"x"}},
                  head,
                  {"add", "Add", {}, {"x", "head"}}};
  {
    SummaryWriter w(dir.path());
    w.add_conceptual_graph("keras", model, 4, 1700000000.0);
    w.add_conceptual_graph("keras", model, 5, 1700000001.0);
  }
  const auto events = events_of(dir.path());
  const SummaryValue* v = find_value(events, "keras", 4);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->kind, ValueKind::kConceptualGraph);
  EXPECT_EQ(v->plugin, "graph_keras_model");
  EXPECT_EQ(v->plugin_content, "1");  // the version TensorBoard's graphs plugin reads
  ASSERT_TRUE(v->blobs());
  ASSERT_EQ(v->blobs()->blobs.size(), 1u);
  EXPECT_EQ(
      v->blobs()->blobs[0],
      R"({"class_name":"Functional","config":{"name":"net","layers":[)"
      R"({"class_name":"InputLayer","config":{"name":"x","dtype":"float32"}},)"
      R"({"class_name":"Conv2d","config":{"name":"conv \"a\""},)"
      R"("inbound_nodes":[{"args":[{"config":{"keras_history":["x",0,0]}}]}]},)"
      R"({"class_name":"Sequential","config":{"name":"head","layers":[)"
      R"({"class_name":"Linear","config":{"name":"fc"}}]}},)"
      R"({"class_name":"Add","config":{"name":"add"},"inbound_nodes":[{"args":[)"
      R"({"config":{"keras_history":["x",0,0]}},{"config":{"keras_history":["head",0,0]}}]}]}]}})");
  const SummaryValue* second = find_value(events, "keras", 5);
  ASSERT_NE(second, nullptr);
  EXPECT_FALSE(second->has_metadata);  // metadata once per series and file, as every kind
  EXPECT_EQ(second->kind, ValueKind::kConceptualGraph);
  EXPECT_STREQ(to_string(ValueKind::kConceptualGraph), "conceptual_graph");
  EXPECT_EQ(describe(*v), "conceptual_graph (Keras model JSON, " +
                              std::to_string(v->blobs()->blobs[0].size()) + " bytes)");
}

TEST(SummaryKinds, ConceptualGraphRefusesWhatTensorBoardWouldDrawWrong) {
  test::TempDir dir;
  SummaryWriter w(dir.path());
  auto error = [&](const ModelLayer& model) {
    return error_of([&] { w.add_conceptual_graph("m", model); });
  };
  EXPECT_EQ(error({"net", "Sequential"}), "add_conceptual_graph('m'): model 'net' has no layers");
  EXPECT_EQ(error({"net", "", {{"a", "A"}}, {"x"}}),
            "add_conceptual_graph('m'): model 'net' is the root and reads no inputs");
  EXPECT_EQ(error({"", "Sequential", {{"a", "A"}}}),
            "add_conceptual_graph('m'): the model has an empty name");
  EXPECT_EQ(error({"net", "", {{"a", "A"}, {"", "B"}}}),
            "add_conceptual_graph('m'): a layer of 'net' has an empty name");
  EXPECT_EQ(error({"net", "", {{"a/b", "A"}}}),
            "add_conceptual_graph('m'): layer name 'a/b' holds '/'");
  EXPECT_EQ(error({"net", "", {{"a", "A"}, {"a", "B"}}}),
            "add_conceptual_graph('m'): two layers of 'net' are named 'a'");
  EXPECT_EQ(error({"net", "", {{"a", "A", {}, {"b"}}, {"b", "B"}}}),
            "add_conceptual_graph('m'): layer 'a' has input 'b', which names no earlier layer of "
            "'net'");
  EXPECT_EQ(error({"net", "", {{"a", "A"}, {"b", "B"}, {"sub", "", {{"c", "C"}}, {"a", "b"}}}}),
            "add_conceptual_graph('m'): model 'sub' has 2 inputs; a model takes one");
  const ModelLayer inner{"inner", "", {{"c", "C"}}};
  EXPECT_EQ(error({"net", "", {inner, {"sub", "", {{"d", "D"}}, {"inner"}}}}),
            "add_conceptual_graph('m'): model 'sub' reads model 'inner'; a model's input names a "
            "layer");
  EXPECT_EQ(error({"net", "", {{"outer", "", {inner}}, {"d", "D", {}, {"outer"}}}}),
            "add_conceptual_graph('m'): layer 'd' reads model 'outer', whose last layer is a "
            "model, not one layer");
  w.close();
  EXPECT_EQ(find_value(events_of(dir.path()), "m"), nullptr);  // nothing refused was written
}

TEST(SummaryKinds, AddScalarsWritesOneTagPerLineAndMergesTheLayout) {
  test::TempDir dir;
  {
    SummaryWriter w(dir.path());
    w.add_custom_scalar_layout({{"Mine", {{"acc", {"acc"}, {}}}, false}});
    w.add_scalars("loss", {{"train", 0.5}, {"test", 0.75}}, 1);
    w.add_scalars("loss", {{"train", 0.25}, {"test", 0.5}, {"val", 0.4}}, 2);
  }
  const auto events = events_of(dir.path());
  ASSERT_NE(find_value(events, "loss/train", 1), nullptr);
  EXPECT_EQ(find_value(events, "loss/test", 1)->scalar(), 0.75);
  EXPECT_EQ(find_value(events, "loss/val", 2)->scalar(), static_cast<double>(0.4f));
  std::vector<const SummaryValue*> layouts;
  for (const auto& e : events)
    for (const auto& v : e.values)
      if (v.kind == ValueKind::kCustomScalars) layouts.push_back(&v);
  ASSERT_EQ(layouts.size(), 2u);  // the user's, then the merged one with the "loss" chart
  pb::Layout last;
  ASSERT_TRUE(last.ParseFromString(text_of((*layouts.back()))));
  ASSERT_EQ(last.category_size(), 2);
  EXPECT_EQ(last.category(0).title(), "Mine");
  EXPECT_EQ(last.category(1).title(), "loss");
  EXPECT_EQ(last.category(1).chart(0).multiline().tag(0), "^loss/");
}

TEST(SummaryKinds, EmbeddingRoundTripWithMetadataAndSprite) {
  test::TempDir dir;
  Embedding e;
  e.rows = 3;
  e.dims = 2;
  e.values = std::vector<float>{0.1f, -2.5f, 1e-20f, 3.4e38f, 0.333333343f, 7.f};
  e.metadata = {{"label", {"a", "b", "c"}}, {"pred", {"a", "c", "c"}}};
  for (int i = 0; i < 3; ++i)
    e.thumbnails.push_back({2, 2, 1, std::vector<std::uint8_t>(4, static_cast<std::uint8_t>(i))});
  {
    SummaryWriter w(dir.path());
    w.add_embedding("feat/layer 1", e, 4);
  }
  const auto stored = read_embeddings(dir.path());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].name, "feat/layer 1@4");
  EXPECT_EQ(stored[0].embedding.rows, 3);
  EXPECT_EQ(stored[0].embedding.dims, 2);
  EXPECT_EQ(stored[0].embedding.values, e.values);  // bit-exact through the text file
  ASSERT_EQ(stored[0].embedding.metadata.size(), 2u);
  EXPECT_EQ(stored[0].embedding.metadata[1].name, "pred");
  EXPECT_EQ(stored[0].embedding.metadata[1].values, (std::vector<std::string>{"a", "c", "c"}));
  EXPECT_EQ(stored[0].sprite_tile_width, 2);
  // 3 thumbnails in a 2 x 2 grid of 2 x 2 tiles
  Image sprite{4, 4, 1, {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 0, 0, 2, 2, 0, 0}};
  EXPECT_EQ(stored[0].sprite_png, encode_png(sprite));
}

TEST(SummaryKinds, ProjectorConfigListsEveryEmbeddingOfConcurrentWriters) {
  test::TempDir dir;
  auto writer_thread = [&](const std::string& suffix) {
    WriterOptions options;
    options.filename_suffix = suffix;
    SummaryWriter w(dir.path(), options);
    for (int step = 0; step < 20; ++step) {
      Embedding e;
      e.rows = 2;
      e.dims = 1;
      e.values = std::vector<float>{static_cast<float>(step), 1.f};
      w.add_embedding("points" + suffix, e, step);
      if (step % 5 == 0) w.flush();
    }
  };
  std::thread a(writer_thread, ".a"), b(writer_thread, ".b");
  a.join();
  b.join();
  const auto stored = read_embeddings(dir.path());
  ASSERT_EQ(stored.size(), 40u);
  EXPECT_EQ(stored.front().name, "points.a@0");  // '.' is escaped in the directory, not the name
  EXPECT_EQ(stored.back().name, "points.b@19");
}

TEST(SummaryKinds, BadInputNamesTheCallAndTagAndLosesNothing) {
  test::TempDir dir;
  SummaryWriter w(dir.path());
  w.add_scalar("kept", 1.0, 0);
  EXPECT_EQ(error_of([&] { w.add_pr_curve("pr", {NAN}, {true}, 0); }),
            "add_pr_curve('pr'): prediction 0 is nan, must be in [0, 1]");
  EXPECT_EQ(error_of([&] {
              w.add_pr_curve("pr", {0.5f, 0.5f}, {true}, 0);
            }),
            "add_pr_curve('pr'): 2 predictions but 1 labels");
  EXPECT_EQ(error_of([&] {
              w.add_pr_curves("pc", {0.5f, 0.5f, 0.5f}, {0, 1}, {"a", "b"}, 0);
            }),
            "add_pr_curves('pc'): 3 scores for 2 labels x 2 classes");
  EXPECT_EQ(error_of([&] {
              w.add_pr_curves("pc", {0.5f, 0.5f}, {2}, {"a", "b"}, 0);
            }),
            "add_pr_curves('pc'): label 0 is 2, classes are 0..1");
  EXPECT_EQ(error_of([&] {
              w.add_pr_curve_data("raw", PrCurveData{{1}, {1}, {1}, {1}, {1}, {1}}, 0);
            }),
            "add_pr_curve_data('raw'): a curve needs at least 2 thresholds");
  EXPECT_EQ(error_of([&] { w.add_video("v", {}, 0); }), "add_video('v'): no frames");
  EXPECT_EQ(error_of([&] { w.add_images("i", {}, 0); }), "add_images('i'): no images");
  EXPECT_EQ(error_of([&] {
              w.add_audio("a", Audio{{2.f}, 1, 8000}, 0);
            }),
            "add_audio('a'): sample 0 is 2.000000, must be in [-1, 1]");
  Mesh mesh;
  mesh.vertices = std::vector<float>{0, 0, 0, 1, 1, 1};
  mesh.faces = {0, 1, 2};
  EXPECT_EQ(error_of([&] { w.add_mesh("m", mesh, 0); }),
            "add_mesh('m'): face 0 indexes vertex 2 of 2");
  mesh.faces.clear();
  mesh.vertices.push_back(1);
  EXPECT_EQ(error_of([&] { w.add_mesh("m", mesh, 0); }),
            "add_mesh('m'): 7 vertex coordinates, not x, y, z triples");
  EXPECT_EQ(error_of([&] { w.add_graph(Graph{}); }), "add_graph: the graph has no nodes");
  GraphBuilder g;
  g.add("a", "Op", {"missing"});
  EXPECT_EQ(error_of([&] { w.add_graph(g.graph()); }),
            "add_graph: node 'a' has input 'missing', which names no node");
  g.add("a", "Op");
  EXPECT_EQ(error_of([&] { w.add_graph(g.graph()); }), "add_graph: two nodes are named 'a'");
  Embedding ragged;
  ragged.rows = 2;
  ragged.dims = 3;
  ragged.values = std::vector<float>{1, 2, 3, 4, 5};
  EXPECT_EQ(error_of([&] { w.add_embedding("e", ragged, 0); }),
            "add_embedding('e'): 5 values for 2 x 3");
  ragged.values.push_back(6);
  ragged.metadata = {{"", {"one", "two\tthree"}}};
  EXPECT_EQ(error_of([&] { w.add_embedding("e", ragged, 0); }),
            "add_embedding('e'): metadata '' of point 1 has a tab or line break");
  EXPECT_EQ(error_of([&] { w.add_scalars("s", {}, 0); }), "add_scalars('s'): no values");
  w.close();
  const auto events = events_of(dir.path());
  ASSERT_NE(find_value(events, "kept"), nullptr);
  for (const auto& e : events) EXPECT_FALSE(e.has_graph);
  EXPECT_TRUE(read_embeddings(dir.path()).empty());
}

TEST(SummaryKinds, HistogramDataRoundTripAndBadRowsRefused) {
  test::TempDir dir;
  {
    SummaryWriter writer(dir.path());
    Histogram h;
    h.stats = {-1, 2, 3, 1.5, 5.25, 0};
    h.buckets = {{-1, 0, 1}, {0, 2, 2}};
    writer.add_histogram_data("given", h, 4);
    Histogram overlapping = h;
    overlapping.buckets[1].left = -0.5;
    EXPECT_NE(error_of([&] {
                writer.add_histogram_data("bad", overlapping, 4);
              }).find("add_histogram_data('bad'): bucket 1 starts before bucket 0 ends"),
              std::string::npos);
    Histogram negative = h;
    negative.buckets[0].count = -1;
    EXPECT_NE(error_of([&] { writer.add_histogram_data("bad", negative, 4); }), "no error");
    EXPECT_NE(error_of([&] { writer.add_histogram_data("bad", Histogram{}, 4); }), "no error");
  }
  const auto events = events_of(dir.path());
  const SummaryValue* v = find_value(events, "given", 4);
  ASSERT_NE(v, nullptr);
  ASSERT_EQ(histogram_buckets((*v)).size(), 2u);
  EXPECT_EQ(histogram_buckets((*v))[1].right, 2);
  EXPECT_EQ(histogram_buckets((*v))[1].count, 2);
  EXPECT_EQ(find_value(events, "bad", 4), nullptr);
}

// TensorBoard reads a tag's values as the kind the tag first held: a second kind under a tag is
// refused on the caller's thread, and what the writer holds is kept. Calls of one kind share tags.
TEST(SummaryKinds, ATagHoldsOneKind) {
  test::TempDir dir;
  const Image pixel{1, 1, 1, {7}};
  {
    SummaryWriter w(dir.path() + "/run");
    w.add_text("notes", "a", 0);
    w.add_text("notes", "b", 1);
    EXPECT_EQ(error_of([&] {
                w.add_histogram("notes", std::vector<float>{1, 2}, 2);
              }),
              "add_histogram('notes'): the tag holds text values already, and TensorBoard reads "
              "a tag as the kind it first held: give this one a tag of its own");
    EXPECT_EQ(error_of([&] {
                w.add_conceptual_graph("notes", {"m", "", {{"a", "A"}}});
              }),
              "add_conceptual_graph('notes'): the tag holds text values already, and "
              "TensorBoard reads a tag as the kind it first held: give this one a tag of its own");
    EXPECT_EQ(
        error_of([&] {
          w.add_summary("notes", {"mine", "", {SummaryTensor::DType::kDouble, {}, {1}, {}}}, 2);
        }),
        "add_summary('notes'): the tag holds text values already, and TensorBoard reads a "
        "tag as the kind it first held: give this one a tag of its own");
    // One kind through several calls: images, a batch of them and a video; a curve and its data.
    w.add_image("pictures", pixel, 0);
    w.add_images("pictures", {pixel, pixel}, 1);
    w.add_video("pictures", {pixel, pixel}, 2);
    w.add_pr_curve("pr", {0.5f}, {true}, 0);
    EXPECT_EQ(error_of([&] {
                w.add_pr_curve_data("pr", {{1, 0}, {0, 0}, {0, 1}, {0, 1}, {1, 0}, {1, 0}}, 1);
              }),
              "no error");
    w.add_summary("notes", {"text", "", {SummaryTensor::DType::kString, {}, {}, {"c"}}}, 3);
  }
  {
    SummaryWriter other(dir.path() + "/other");  // another run: its tags are its own
    other.add_histogram("notes", std::vector<float>{1, 2}, 0);
  }
  const auto events = events_of(dir.path());
  EXPECT_TRUE(find_value(events, "notes", 0) && find_value(events, "notes", 1) &&
              find_value(events, "notes", 3));
  EXPECT_EQ(find_value(events, "pictures", 2)->kind, ValueKind::kImage);
  EXPECT_EQ(find_value(events, "notes", 2), nullptr);  // nothing refused was written
}

// The primitive under every kind: a plugin tblog has no add_* call for, written with add_summary
// and read back as that plugin's tensor, with its plugin data on the tag's first value.
TEST(SummaryKinds, AnyPluginsSummaryRoundTripsThroughAddSummary) {
  test::TempDir dir;
  PluginSummary grid{"my_plugin",
                     "config v1",
                     {SummaryTensor::DType::kInt32, {2, 3}, {1, -2, 3, 4, 5, 2147483647}, {}}};
  PluginSummary words{"my_plugin", "", {SummaryTensor::DType::kString, {2}, {}, {"a", "b\n"}}};
  {
    SummaryWriter w(dir.path());
    w.add_summary("grid", grid, 1);
    w.add_summary("grid", grid, 2);
    w.add_summary("words", words, 1);
  }
  const auto events = events_of(dir.path());
  const SummaryValue* first = find_value(events, "grid", 1);
  const SummaryValue* second = find_value(events, "grid", 2);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->kind, ValueKind::kOther);
  EXPECT_EQ(first->plugin, "my_plugin");
  EXPECT_EQ(first->plugin_content, "config v1");
  EXPECT_TRUE(first->has_metadata);
  EXPECT_FALSE(second->has_metadata);  // the plugin is the tag's first value's
  EXPECT_EQ(second->plugin, "my_plugin");
  ASSERT_NE(second->tensor(), nullptr);
  EXPECT_EQ(second->tensor()->dtype, SummaryTensor::DType::kInt32);
  EXPECT_EQ(second->tensor()->shape, grid.tensor.shape);
  EXPECT_EQ(second->tensor()->numbers, grid.tensor.numbers);
  const SummaryValue* strings = find_value(events, "words", 1);
  ASSERT_TRUE(strings && strings->tensor());
  EXPECT_EQ(strings->tensor()->strings, words.tensor.strings);
  EXPECT_EQ(describe(*strings), "my_plugin value");
  EXPECT_EQ(describe_json(*strings), R"({"tag":"words","kind":"other","plugin":"my_plugin"})");

  SummaryWriter w(dir.path());
  auto refused = [&](PluginSummary s, const char* why) {
    try {
      w.add_summary("bad", std::move(s), 0);
      ADD_FAILURE() << "accepted: " << why;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  };
  refused({"", "", {}}, "no plugin name");
  refused({"p", "", {SummaryTensor::DType::kFloat, {2, 2}, {1, 2, 3}, {}}},
          "holds 4 elements but 3 numbers");
  refused({"p", "", {SummaryTensor::DType::kFloat, {-1}, {}, {}}}, "dimension of size -1");
  refused({"p", "", {SummaryTensor::DType::kUInt8, {1}, {256}, {}}}, "element 0 (256)");
  refused({"p", "", {SummaryTensor::DType::kInt64, {1}, {0.5}, {}}}, "not an integer");
  refused({"p", "", {SummaryTensor::DType::kInt32, {1}, {std::nan("")}, {}}}, "not an integer");
}

// Each kind describes its values (what `tblog cat` prints); a kind's decoder refuses a value
// inconsistent with itself, while someone else's plugin with a tensor tblog cannot read is left
// undecoded, not called corrupt.
TEST(SummaryKinds, EachKindDescribesItsValues) {
  test::TempDir dir;
  {
    SummaryWriter w(dir.path());
    w.add_scalar("loss", 0.25, 1);
    w.add_text("note", "a\nb", 1);
    w.add_histogram_data("h", Histogram{{0, 3, 6, 9, 20}, {{0, 1, 2}, {1, 3, 4}}}, 1);
  }
  const auto events = events_of(dir.path());
  EXPECT_EQ(describe(*find_value(events, "loss", 1)), "scalar 0.25");
  EXPECT_EQ(describe(*find_value(events, "note", 1)), "text \"a b\"");
  EXPECT_EQ(describe(*find_value(events, "h", 1)), "histogram 2 buckets, 6 values in [0, 3]");
  EXPECT_EQ(describe_json(*find_value(events, "h", 1)),
            R"({"tag":"h","kind":"histogram","plugin":"histograms","buckets":[[0,1,2],[1,3,4]]})");
  EXPECT_EQ(histogram_buckets(*find_value(events, "h", 1)).size(), 2u);
  EXPECT_TRUE(histogram_buckets(*find_value(events, "loss", 1)).empty());
}

}  // namespace
}  // namespace tblog
